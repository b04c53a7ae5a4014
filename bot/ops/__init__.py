"""Operating peerlearn: the command line, doctor, export, logs and metrics."""
