"""The series: what is specific to Samenwerkend Toezicht Jeugd (its framework, titles, wording and Dutch language helpers), read from the package's data."""
