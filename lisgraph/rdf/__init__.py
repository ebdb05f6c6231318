"""RDF projection, linked-data exports and SPARQL (needs the [rdf] extra)."""
