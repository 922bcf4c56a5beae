<?php
// Lojal: the order total line
$_['text_title'] = 'Puncte de fidelitate (%s)';
