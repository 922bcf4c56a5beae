<?php
// Lojal: the order total line
$_['text_title'] = 'Loyalty points (%s)';
