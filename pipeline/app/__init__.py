"""The application: the command line, check, batches and their executors, progress, logging, doctor, the Python API."""
