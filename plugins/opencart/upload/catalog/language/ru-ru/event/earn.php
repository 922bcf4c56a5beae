<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['lojal_text_earn']        = 'Получите %s бонусный балл|Получите %s бонусных балла|Получите %s бонусных баллов';
$_['lojal_text_earn_cart']   = 'За этот заказ вы получите %s бонусный балл|За этот заказ вы получите %s бонусных балла|За этот заказ вы получите %s бонусных баллов';
