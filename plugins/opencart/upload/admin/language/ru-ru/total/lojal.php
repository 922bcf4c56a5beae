<?php
// Lojal: the order total "Loyalty points"
$_['heading_title']    = 'Бонусные баллы (Lojal)';
$_['text_extension']   = 'Extensions';
$_['text_success']     = 'Успешно: настройки бонусных баллов изменены!';
$_['text_edit']        = 'Изменить бонусные баллы';
$_['entry_status']     = 'Status';
$_['entry_sort_order'] = 'Sort Order';
$_['help_status']      = 'Вошедшие покупатели могут тратить баллы в корзине. Настройки сервиса: Расширения > Другое > Lojal.';
$_['error_permission'] = 'Внимание: нет прав на изменение бонусных баллов!';
