"""Process configuration shared by the API, the workers and the edge agent: settings and payment channels."""
