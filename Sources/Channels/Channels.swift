// The Channels module.
