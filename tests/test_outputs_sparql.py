"""SPARQL and named queries stay offline and inside queries/ (issue 17, item 5)."""

from __future__ import annotations

import http.server
import threading

import pytest

pytest.importorskip("pyoxigraph")

from lisgraph.errors import LisgraphError  # noqa: E402
from lisgraph.named import load_query  # noqa: E402
from lisgraph.rdf.export import export  # noqa: E402
from lisgraph.rdf.store import refuse_network  # noqa: E402

from .test_rdf_export import ISSUED, toy_graph  # noqa: E402


@pytest.fixture(scope="module")
def toy_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("toy") / "toy.ttl"
    export(toy_graph(), "ttl", path, issued=ISSUED)
    return path


@pytest.fixture
def toy_cli(cli, toy_file):
    return lambda *args: cli("--no-bundled", "--data", str(toy_file), *args)


@pytest.fixture
def endpoint():
    """A local HTTP server that counts the requests it gets (a stand-in for a remote endpoint)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


def test_the_fake_endpoint_is_reachable_by_pyoxigraph_itself(endpoint):
    """Without lisgraph's guard pyoxigraph does go to the network: the guard is needed."""
    import pyoxigraph as ox

    url, hits = endpoint
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    except (RuntimeError, OSError):  # the fake endpoint's answer is not the point
        pass
    assert hits == ["/sparql"]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c .SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ # a comment\nSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ FILTER(1<2) SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s lis:a\\' SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s lis:a\\# SERVICE <{url}> {{ ?s ?p ?o }} }}",
    'SELECT * WHERE {{ ?s ?p "a\\u0022" SERVICE <{url}> {{ ?s ?p ?o }} ?s ?p "b" }}',
])
def test_service_is_refused_and_nothing_reaches_the_network(toy_cli, endpoint, query):
    url, hits = endpoint
    code, out, err = toy_cli("sparql", query.format(url=url))
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "SERVICE (federated query) is not allowed" in err
    assert hits == []


def test_from_clauses_do_not_fetch(toy_cli, endpoint):
    url, hits = endpoint
    code, _, _ = toy_cli("sparql", f"SELECT ?s FROM <{url}> WHERE {{ ?s ?p ?o }} LIMIT 1")
    assert code == 0 and hits == []


def test_service_as_a_word_in_data_is_not_refused():
    for query in ['SELECT ?s WHERE { ?s rdfs:comment "SERVICE <http://x>" }',
                  "SELECT ?service WHERE { ?service <http://e/SERVICE> ex:SERVICE } # SERVICE",
                  "SELECT ?s WHERE { ?s ?p '''multi\nSERVICE''' }",
                  "SELECT $service WHERE { $service ?p service:x }"]:
        refuse_network(query)  # raises if refused
    with pytest.raises(LisgraphError, match="SERVICE"):
        refuse_network('SELECT * WHERE { ?s ?p "a \\" string" SERVICE <http://x> {} }')


def test_named_query_lookup_is_confined_to_the_queries_folder(toy_cli, tmp_path):
    evil = tmp_path / "evil.rq"
    evil.write_text("# title: Evil\n# columns: s\nSELECT ?s WHERE { ?s ?p ?o }\n")
    for name in (str(tmp_path / "evil"), "../queries/members", "members.rq", "members/..",
                 "/etc/passwd", "..", "", "mem\u0660bers"):
        code, out, err = toy_cli("query", name)
        assert code == 1 and out == "" and err.count("\n") == 1, name
        assert "is not a named query" in err or "no named query" in err
    with pytest.raises(LisgraphError, match="is not a named query"):
        load_query(str(tmp_path / "evil"))
    assert load_query("members").name == "members"


def test_parameter_errors_are_one_line(toy_cli):
    cases = [
        (("query", "members", "-p", "nope=1"), "has no parameter 'nope'"),
        (("query", "districts-in-two-leps"), "needs -p as_of="),
        (("query", "districts-in-two-leps", "-p", "as_of=2018-02-30"), "is not a date"),
        (("query", "districts-in-two-leps", "-p", "as_of=soon"), "is not a date"),
        (("sparql", "SELECT ?d WHERE { ?s ?p ?d }", "-p", "d=2018-13-45"), "not a real date"),
    ]
    for args, message in cases:
        code, out, err = toy_cli(*args)
        assert code == 1 and err.count("\n") == 1 and message in err, (args, err)
    # digits that are not ASCII do not make a date: the value is bound as text
    code, out, _ = toy_cli("sparql", "SELECT ?d WHERE { }", "-p", "d=٢٠١٨-٠١-٠١", "-f", "json")
    assert code == 0 and "٢٠١٨-٠١-٠١" in out


def test_query_file_errors_are_one_line(toy_cli, tmp_path):
    binary = tmp_path / "q.rq"
    binary.write_bytes(b"SELECT \xff\xfe")
    code, _, err = toy_cli("sparql", f"@{binary}")
    assert code == 1 and "not UTF-8 text" in err and err.count("\n") == 1
    code, _, err = toy_cli("sparql", f"@{tmp_path}")
    assert code == 1 and "no such query file" in err
