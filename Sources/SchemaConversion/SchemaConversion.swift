// The SchemaConversion module; its types arrive with the work on its issue.
