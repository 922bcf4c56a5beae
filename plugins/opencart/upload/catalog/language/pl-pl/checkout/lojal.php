<?php
// Lojal: "Use N points" in the cart
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['heading_title'] = 'Użyj punktów lojalnościowych (masz %s)';
$_['entry_points']  = 'Ile punktów użyć (do %s, wartych %s)';
$_['text_using']    = 'Używasz %s punktu lojalnościowego (%s rabatu)|Używasz %s punktów lojalnościowych (%s rabatu)|Używasz %s punktów lojalnościowych (%s rabatu)';
$_['button_use']    = 'Użyj punktów';
$_['button_remove'] = 'Usuń';
$_['text_success']  = 'Sukces: punkty lojalnościowe zostały użyte!';
$_['text_removed']  = 'Sukces: punkty lojalnościowe nie są już używane.';
$_['error_status']  = 'Uwaga: nie można tu użyć punktów (najpierw zaloguj się).';
$_['error_points']  = 'Uwaga: podaj, ile punktów użyć.';
$_['error_service'] = 'Uwaga: %s';
