<?php
// Lojal: "Use N points" in the cart
// Counted phrases hold their plural forms separated by "|" (Plural::choose).
$_['heading_title'] = 'Use loyalty points (you have %s)';
$_['entry_points']  = 'Points to use (up to %s, worth %s)';
$_['text_using']    = 'Using %s loyalty point (%s off)|Using %s loyalty points (%s off)';
$_['button_use']    = 'Use points';
$_['button_remove'] = 'Remove';
$_['text_success']  = 'Success: your loyalty points are applied!';
$_['text_removed']  = 'Success: your loyalty points are no longer used.';
$_['error_status']  = 'Warning: points cannot be used here (sign in first).';
$_['error_points']  = 'Warning: enter how many points to use.';
$_['error_service'] = 'Warning: %s';
