<?php
// Lojal: the order total line
$_['text_title'] = 'Бонусные баллы (%s)';
