"""Training pipeline for credlens model bundles (``make model``). Never imported by the server."""
