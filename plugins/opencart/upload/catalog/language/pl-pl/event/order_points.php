<?php
// Lojal: punkty zamówienia na stronie potwierdzenia i na stronie zamówienia klienta.
// Formy liczby mnogiej oddzielone "|": one|few|many.
$_['lojal_text_order_estimate']  = 'Za to zamówienie otrzymasz %s punkt lojalnościowy. Możesz go wykorzystać po upływie terminu zwrotu.|Za to zamówienie otrzymasz %s punkty lojalnościowe. Możesz je wykorzystać po upływie terminu zwrotu.|Za to zamówienie otrzymasz %s punktów lojalnościowych. Możesz je wykorzystać po upływie terminu zwrotu.';
$_['lojal_text_order_pending']   = 'Za to zamówienie otrzymasz %s punkt lojalnościowy do wykorzystania od %s (po upływie terminu zwrotu).|Za to zamówienie otrzymasz %s punkty lojalnościowe do wykorzystania od %s (po upływie terminu zwrotu).|Za to zamówienie otrzymasz %s punktów lojalnościowych do wykorzystania od %s (po upływie terminu zwrotu).';
$_['lojal_text_order_available'] = 'To zamówienie przyniosło %s punkt lojalnościowy.|To zamówienie przyniosło %s punkty lojalnościowe.|To zamówienie przyniosło %s punktów lojalnościowych.';
$_['lojal_text_order_void']      = 'Anulowano %s punkt lojalnościowy za to zamówienie.|Anulowano %s punkty lojalnościowe za to zamówienie.|Anulowano %s punktów lojalnościowych za to zamówienie.';
$_['lojal_text_order_reversed']  = 'Odebrano %s punkt za zwrócone produkty.|Odebrano %s punkty za zwrócone produkty.|Odebrano %s punktów za zwrócone produkty.';
$_['lojal_text_order_redeemed']  = 'Na to zamówienie wykorzystano %s punkt.|Na to zamówienie wykorzystano %s punkty.|Na to zamówienie wykorzystano %s punktów.';
$_['lojal_text_order_restored']  = 'Zwrócono %s wykorzystany punkt wraz ze zwrotem pieniędzy.|Zwrócono %s wykorzystane punkty wraz ze zwrotem pieniędzy.|Zwrócono %s wykorzystanych punktów wraz ze zwrotem pieniędzy.';
