// The DialogRuntime module.
