"""`xxgk serve`: the local web page (optional extra xxgk-checker[serve])."""
