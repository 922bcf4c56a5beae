<?php
// Lojal: the order total "Loyalty points"
$_['heading_title']    = 'Loyalty points (Lojal)';
$_['text_extension']   = 'Extensions';
$_['text_success']     = 'Success: You have modified the loyalty points total!';
$_['text_edit']        = 'Edit Loyalty points';
$_['entry_status']     = 'Status';
$_['entry_sort_order'] = 'Sort Order';
$_['help_status']      = 'Lets logged-in customers spend their points in the cart. The service settings are on Extensions > Other > Lojal.';
$_['error_permission'] = 'Warning: You do not have permission to modify the loyalty points total!';
