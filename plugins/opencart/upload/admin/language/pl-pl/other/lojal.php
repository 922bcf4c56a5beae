<?php
// Heading
$_['heading_title']             = 'Lojal — punkty lojalnościowe';

// Text
$_['text_extension']            = 'Rozszerzenia';
$_['text_edit']                 = 'Edytuj ustawienia Lojal';
$_['text_success']              = 'Sukces: ustawienia Lojal zostały zapisane!';
$_['text_connection']           = 'Połączenie';
$_['text_mapping']              = 'Mapowanie statusów zamówień';
$_['text_mapping_help']         = 'Które statusy zamówień oznaczają, że zamówienie jest opłacone, zrealizowane, anulowane lub zwrócone. Na ich podstawie usługa Lojal przyznaje i cofa punkty.';
$_['text_delivery']             = 'Wysyłanie zdarzeń';
$_['text_waiting']              = 'Zdarzenia czekające na wysłanie';
$_['text_failed']               = 'Zdarzenia odrzucone przez usługę';
$_['text_last_error']           = 'Ostatni błąd';
$_['text_none']                 = 'Brak';
$_['text_delivery_help']        = 'Zdarzenia, których usługa nie przyjęła, są ponawiane przez zadanie cron "lojal" (Rozszerzenia > Zadania cron) z coraz dłuższymi przerwami, najrzadziej raz dziennie.';
$_['text_test_ok']              = 'Połączono. Waluta programu %s, punkty za jednostkę waluty: %s, punkty przyznawane, gdy zamówienie jest %s. Sekret webhooka jest poprawny.';
$_['text_award_on_paid']        = 'opłacone';
$_['text_award_on_completed']   = 'zrealizowane';
$_['text_testing']              = 'Sprawdzanie...';

// Entry
$_['entry_status']              = 'Status';
$_['entry_url']                 = 'Adres usługi';
$_['entry_api_key']             = 'Klucz API';
$_['entry_webhook_secret']      = 'Sekret webhooka';
$_['entry_status_paid']         = 'Statusy „opłacone”';
$_['entry_status_completed']    = 'Statusy „zrealizowane”';
$_['entry_status_cancelled']    = 'Statusy „anulowane”';
$_['entry_status_refunded']     = 'Statusy „zwrócone”';
$_['entry_return_status']       = 'Status zakończonego zwrotu';

// Help
$_['help_url']                  = 'Adres usługi Lojal, np. https://loyalty.example.com';
$_['help_api_key']              = 'Klucz sklepu (lj_sk_...) pokazany raz przy tworzeniu sklepu w Lojal.';
$_['help_return_status']        = 'Zwrot, który osiągnie ten status, odbiera punkty przyznane za jego produkty.';

// Button
$_['button_test']               = 'Sprawdź połączenie';

// Error
$_['error_permission']          = 'Uwaga: nie masz uprawnień do zmiany ustawień Lojal!';
$_['error_url']                 = 'Adres usługi musi zaczynać się od http:// lub https://';
$_['error_not_configured']      = 'Najpierw podaj adres usługi, klucz API i sekret webhooka.';
$_['error_test']                = 'Usługa nie przyjęła klucza API: %s';
$_['error_secret']              = 'Klucz API działa, ale sekret webhooka nie (%s).';

// Import
$_['text_import']               = 'Import istniejących punktów';
$_['text_import_help']          = 'Wysyła saldo punktów OpenCart każdego klienta do Lojal jako saldo początkowe, w partiach po 100. Można uruchomić ponownie: klient już zaimportowany liczy się jako duplikat, nigdy nie dostaje punktów dwa razy.';
$_['button_import']             = 'Importuj punkty';
$_['text_import_counts']        = '%s zaimportowano, %s już zaimportowanych, %s odrzucono';
$_['error_import']              = 'Import przerwany: %s';
