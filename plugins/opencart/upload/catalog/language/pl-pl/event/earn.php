<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
$_['lojal_text_earn']        = 'Zdobądź %s punktów lojalnościowych';
$_['lojal_text_earn_cart']   = 'To zamówienie da %s punktów lojalnościowych';
