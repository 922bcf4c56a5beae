<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['lojal_text_earn']        = 'Earn %s loyalty point|Earn %s loyalty points';
$_['lojal_text_earn_cart']   = 'This order earns %s loyalty point|This order earns %s loyalty points';
