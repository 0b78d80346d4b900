"""MigraLex: the command line (thin shell over ingest, corpus, nlp and search_api)."""
