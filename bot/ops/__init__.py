"""Operating peerlearn: the command line, `run`, console, digest, export, doctor and insights commands."""
