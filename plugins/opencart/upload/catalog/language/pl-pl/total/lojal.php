<?php
// Lojal: the order total line
$_['text_title'] = 'Punkty lojalnościowe (%s)';
