<?php
// Lojal: the order total "Loyalty points"
$_['heading_title']    = 'Punkty lojalnościowe (Lojal)';
$_['text_extension']   = 'Extensions';
$_['text_success']     = 'Sukces: zmieniono ustawienia punktów lojalnościowych!';
$_['text_edit']        = 'Edytuj punkty lojalnościowe';
$_['entry_status']     = 'Status';
$_['entry_sort_order'] = 'Sort Order';
$_['help_status']      = 'Zalogowani klienci mogą wydawać punkty w koszyku. Ustawienia usługi: Rozszerzenia > Inne > Lojal.';
$_['error_permission'] = 'Uwaga: brak uprawnień do zmiany punktów lojalnościowych!';
