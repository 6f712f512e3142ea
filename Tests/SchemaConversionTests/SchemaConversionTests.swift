// Tests of SchemaConversion.
