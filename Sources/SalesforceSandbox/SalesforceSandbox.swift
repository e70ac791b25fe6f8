// The SalesforceSandbox module.
