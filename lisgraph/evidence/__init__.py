"""Official local economic indicators beside the graph: observations, bodies' figures and
industrial strengths (location quotients). pandas is imported only by the functions that
need it (loading user files, location quotients); ``evidence_section`` does not use it."""
