"""Search support: the jieba domain dictionary and the query converter's character map."""
