// The SalesforceAPI module.
