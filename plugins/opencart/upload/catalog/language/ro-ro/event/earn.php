<?php
// Lojal: "earn N points" on product pages, lists, the cart and checkout
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['lojal_text_earn']        = 'Câștigi %s punct de fidelitate|Câștigi %s puncte de fidelitate|Câștigi %s de puncte de fidelitate';
$_['lojal_text_earn_cart']   = 'Această comandă îți aduce %s punct de fidelitate|Această comandă îți aduce %s puncte de fidelitate|Această comandă îți aduce %s de puncte de fidelitate';
