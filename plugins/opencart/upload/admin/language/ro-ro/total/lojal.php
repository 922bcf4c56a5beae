<?php
// Lojal: the order total "Loyalty points"
$_['heading_title']    = 'Puncte de fidelitate (Lojal)';
$_['text_extension']   = 'Extensions';
$_['text_success']     = 'Succes: ați modificat totalul punctelor de fidelitate!';
$_['text_edit']        = 'Editare puncte de fidelitate';
$_['entry_status']     = 'Status';
$_['entry_sort_order'] = 'Sort Order';
$_['help_status']      = 'Clienții autentificați își pot folosi punctele în coș. Setările serviciului: Extensii > Altele > Lojal.';
$_['error_permission'] = 'Atenție: nu aveți permisiunea de a modifica punctele de fidelitate!';
