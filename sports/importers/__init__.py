"""Festival file (JSON) import/export and, later, Excel registration import."""
