<?php
// Lojal: "Use N points" in the cart
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['heading_title'] = 'Folosiți punctele de fidelitate (aveți %s)';
$_['entry_points']  = 'Puncte de folosit (până la %s, în valoare de %s)';
$_['text_using']    = 'Folosiți %s punct de fidelitate (%s reducere)|Folosiți %s puncte de fidelitate (%s reducere)|Folosiți %s de puncte de fidelitate (%s reducere)';
$_['button_use']    = 'Folosiți punctele';
$_['button_remove'] = 'Eliminați';
$_['text_success']  = 'Succes: punctele de fidelitate au fost aplicate!';
$_['text_removed']  = 'Succes: punctele de fidelitate nu mai sunt folosite.';
$_['error_status']  = 'Atenție: punctele nu pot fi folosite aici (autentificați-vă întâi).';
$_['error_points']  = 'Atenție: introduceți câte puncte folosiți.';
$_['error_service'] = 'Atenție: %s';
