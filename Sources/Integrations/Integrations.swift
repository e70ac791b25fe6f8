// The Integrations module.
