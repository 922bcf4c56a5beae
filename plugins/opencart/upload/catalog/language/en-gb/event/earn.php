<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
$_['lojal_text_earn']        = 'Earn %s loyalty points';
$_['lojal_text_earn_cart']   = 'This order earns %s loyalty points';
