"""The glue to `matching`: rows to engine objects (`convert`), the columns' rules (`fields`), the matcher of a
process and its freshness (`matcher`, `versions`), the one road to a youth's matches and "why (not)" (`matches`),
and kept pieces of pages (`fragments`)."""
