<?php
// Lojal: punctele unei comenzi, pe pagina de confirmare și pe pagina comenzii clientului.
// Formele de plural separate prin "|": one|few|other.
$_['lojal_text_order_estimate']  = 'Această comandă îți aduce %s punct de fidelitate, pe care îl poți folosi după încheierea perioadei de retur.|Această comandă îți aduce %s puncte de fidelitate, pe care le poți folosi după încheierea perioadei de retur.|Această comandă îți aduce %s de puncte de fidelitate, pe care le poți folosi după încheierea perioadei de retur.';
$_['lojal_text_order_pending']   = 'Această comandă îți aduce %s punct de fidelitate, de folosit începând cu %s (după perioada de retur).|Această comandă îți aduce %s puncte de fidelitate, de folosit începând cu %s (după perioada de retur).|Această comandă îți aduce %s de puncte de fidelitate, de folosit începând cu %s (după perioada de retur).';
$_['lojal_text_order_available'] = 'Această comandă ți-a adus %s punct de fidelitate.|Această comandă ți-a adus %s puncte de fidelitate.|Această comandă ți-a adus %s de puncte de fidelitate.';
$_['lojal_text_order_void']      = 'S-a anulat %s punct de fidelitate al acestei comenzi.|S-au anulat %s puncte de fidelitate ale acestei comenzi.|S-au anulat %s de puncte de fidelitate ale acestei comenzi.';
$_['lojal_text_order_reversed']  = 'S-a retras %s punct pentru produsele returnate.|S-au retras %s puncte pentru produsele returnate.|S-au retras %s de puncte pentru produsele returnate.';
$_['lojal_text_order_redeemed']  = 'Ai folosit %s punct pentru această comandă.|Ai folosit %s puncte pentru această comandă.|Ai folosit %s de puncte pentru această comandă.';
$_['lojal_text_order_restored']  = 'Ți s-a returnat %s punct folosit, odată cu rambursarea.|Ți s-au returnat %s puncte folosite, odată cu rambursarea.|Ți s-au returnat %s de puncte folosite, odată cu rambursarea.';
