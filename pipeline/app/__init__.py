"""The application: the command line, check, batches and their executors, inputs, progress, logging, doctor."""
