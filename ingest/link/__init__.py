"""Linking: names in text -> ontology keys (States, instruments, mechanisms, companies, peoples,
themes, SDG targets), with gazetteers generated from the reference tables."""
