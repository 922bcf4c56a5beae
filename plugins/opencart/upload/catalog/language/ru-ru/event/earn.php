<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
$_['lojal_text_earn']        = 'Получите %s бонусных баллов';
$_['lojal_text_earn_cart']   = 'За этот заказ вы получите %s бонусных баллов';
