<?php
// Heading
$_['heading_title']             = 'Lojal — puncte de fidelitate';

// Text
$_['text_extension']            = 'Extensii';
$_['text_edit']                 = 'Editează setările Lojal';
$_['text_success']              = 'Succes: setările Lojal au fost salvate!';
$_['text_connection']           = 'Conexiune';
$_['text_mapping']              = 'Corespondența stărilor comenzilor';
$_['text_mapping_help']         = 'Ce stări ale comenzilor înseamnă că o comandă este plătită, finalizată, anulată sau rambursată. Serviciul Lojal acordă și retrage puncte pe baza lor.';
$_['text_delivery']             = 'Trimiterea evenimentelor';
$_['text_waiting']              = 'Evenimente care așteaptă trimiterea';
$_['text_failed']               = 'Evenimente refuzate de serviciu';
$_['text_last_error']           = 'Ultima eroare';
$_['text_none']                 = 'Niciuna';
$_['text_delivery_help']        = 'Evenimentele pe care serviciul nu le-a primit sunt retrimise de sarcina cron "lojal" (Extensii > Sarcini cron) la intervale tot mai mari, cel mult o dată pe zi.';
$_['text_test_ok']              = 'Conectat. Moneda programului %s, puncte pe unitatea de monedă: %s, puncte acordate când comanda este %s. Secretul webhook este acceptat.';
$_['text_award_on_paid']        = 'plătită';
$_['text_award_on_completed']   = 'finalizată';
$_['text_testing']              = 'Se verifică...';

// Entry
$_['entry_status']              = 'Stare';
$_['entry_url']                 = 'Adresa serviciului';
$_['entry_api_key']             = 'Cheie API';
$_['entry_webhook_secret']      = 'Secret webhook';
$_['entry_status_paid']         = 'Stări „plătită”';
$_['entry_status_completed']    = 'Stări „finalizată”';
$_['entry_status_cancelled']    = 'Stări „anulată”';
$_['entry_status_refunded']     = 'Stări „rambursată”';
$_['entry_return_status']       = 'Starea de retur finalizat';

// Help
$_['help_url']                  = 'Adresa serviciului Lojal, de ex. https://loyalty.example.com';
$_['help_api_key']              = 'Cheia magazinului (lj_sk_...) afișată o singură dată la crearea magazinului în Lojal.';
$_['help_return_status']        = 'Un retur care ajunge în această stare retrage punctele câștigate de produsele sale.';

// Button
$_['button_test']               = 'Testează conexiunea';

// Error
$_['error_permission']          = 'Atenție: nu aveți permisiunea de a modifica setările Lojal!';
$_['error_url']                 = 'Adresa serviciului trebuie să înceapă cu http:// sau https://';
$_['error_not_configured']      = 'Introduceți mai întâi adresa serviciului, cheia API și secretul webhook.';
$_['error_test']                = 'Serviciul nu a acceptat cheia API: %s';
$_['error_secret']              = 'Cheia API funcționează, dar secretul webhook nu (%s).';

// Import
$_['text_import']               = 'Importă punctele existente';
$_['text_import_help']          = 'Trimite soldul de puncte OpenCart al fiecărui client către Lojal ca sold inițial, în loturi de câte 100. Se poate rula din nou: un client deja importat este numărat ca duplicat, niciodată creditat de două ori.';
$_['button_import']             = 'Importă punctele';
$_['text_import_counts']        = '%s importate, %s deja importate, %s refuzate';
$_['error_import']              = 'Importul s-a oprit: %s';
