<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['lojal_text_earn']        = 'Zdobądź %s punkt lojalnościowy|Zdobądź %s punkty lojalnościowe|Zdobądź %s punktów lojalnościowych';
$_['lojal_text_earn_cart']   = 'To zamówienie da %s punkt lojalnościowy|To zamówienie da %s punkty lojalnościowe|To zamówienie da %s punktów lojalnościowych';
