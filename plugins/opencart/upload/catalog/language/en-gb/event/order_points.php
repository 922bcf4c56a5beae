<?php
// Lojal: the points of an order, on the order success page and the customer's order page.
// Plural forms separated by "|": one|other.
$_['lojal_text_order_estimate']  = 'This order earns %s loyalty point. You can spend it once the return period is over.|This order earns %s loyalty points. You can spend them once the return period is over.';
$_['lojal_text_order_pending']   = 'This order earns %s loyalty point, to spend from %s (after the return period).|This order earns %s loyalty points, to spend from %s (after the return period).';
$_['lojal_text_order_available'] = 'This order earned %s loyalty point.|This order earned %s loyalty points.';
$_['lojal_text_order_void']      = 'The %s loyalty point of this order was cancelled.|The %s loyalty points of this order were cancelled.';
$_['lojal_text_order_reversed']  = '%s point was taken back for returned items.|%s points were taken back for returned items.';
$_['lojal_text_order_redeemed']  = '%s point was spent on this order.|%s points were spent on this order.';
$_['lojal_text_order_restored']  = '%s spent point was given back with a refund.|%s spent points were given back with a refund.';
