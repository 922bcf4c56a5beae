<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
$_['lojal_text_earn']        = 'Câștigi %s puncte de fidelitate';
$_['lojal_text_earn_cart']   = 'Această comandă îți aduce %s puncte de fidelitate';
