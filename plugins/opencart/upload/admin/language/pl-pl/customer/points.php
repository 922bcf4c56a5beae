<?php
// Lojal: the loyalty points panel on the customer page (Customers > Customers > Edit)
// Counted phrases hold their plural forms separated by "|" (Plural::choose).

// Panel
$_['text_title']                     = 'Punkty lojalnościowe (Lojal)';
$_['text_loading']                   = 'Wczytywanie punktów lojalnościowych...';
$_['text_available']                 = 'Punkty do wykorzystania';
$_['text_pending']                   = 'Oczekujące';
$_['text_held']                      = 'Zarezerwowane w koszyku';
$_['text_earned']                    = 'Zdobyte łącznie';
$_['text_redeemed']                  = 'Wykorzystane łącznie';
$_['text_expired']                   = 'Wygasłe łącznie';
$_['text_tier']                      = 'Poziom';
$_['text_nothing']                   = 'Brak';
$_['text_next_tier']                 = '%s punkt do poziomu %s|%s punkty do poziomu %s|%s punktów do poziomu %s';
$_['text_expiring_title']            = 'Wkrótce wygasną';
$_['text_expiring']                  = '%s punkt wygasa %s|%s punkty wygasają %s|%s punktów wygasa %s';
$_['text_activity']                  = 'Ostatnia aktywność';
$_['text_no_activity']               = 'Brak aktywności.';
$_['text_unknown']                   = 'Lojal jeszcze nie zna tego klienta. Klient dołącza do programu przy pierwszym zamówieniu albo po zapisaniu go na tej stronie.';
$_['text_not_configured']            = 'Lojal nie jest skonfigurowany lub jest wyłączony: podaj adres usługi, klucz API i sekret webhooka i włącz Status w Rozszerzenia > Rozszerzenia > Inne > Lojal — punkty lojalnościowe.';
$_['error_unavailable']              = 'Usługa Lojal jest teraz nieosiągalna (%s). Spróbuj ponownie później.';
$_['error_activity']                 = 'Nie można teraz pokazać aktywności.';
$_['error_load']                     = 'Nie udało się wczytać panelu punktów lojalnościowych';
$_['column_date']                    = 'Data';
$_['column_description']             = 'Opis';
$_['column_points']                  = 'Punkty';
$_['button_reload']                  = 'Odśwież';

// Adjustment
$_['text_adjust']                    = 'Korekta punktów';
$_['entry_points']                   = 'Punkty';
$_['help_points']                    = 'Liczba całkowita: dodatnia dodaje punkty, ujemna (np. -50) je odejmuje.';
$_['entry_reason']                   = 'Powód';
$_['help_reason']                    = 'Wymagany. Zapisywany przy wpisie razem z Twoją nazwą użytkownika i widoczny dla klienta na stronie Punkty lojalnościowe.';
$_['entry_allow_negative']           = 'Zezwól na ujemne saldo';
$_['help_allow_negative']            = 'Aby odjąć więcej, niż klient ma do wykorzystania: saldo spada poniżej zera, a kolejne punkty spłacają dług.';
$_['button_adjust']                  = 'Skoryguj punkty';
$_['text_adjusted']                  = 'Punkty skorygowano o %s.';
$_['text_view_only']                 = 'Możesz oglądać punkty, ale nie korygować ich: potrzebne jest uprawnienie do modyfikacji klientów.';

// Errors
$_['error_permission']               = 'Uwaga: Nie masz uprawnień do przeglądania klientów!';
$_['error_modify']                   = 'Uwaga: Nie masz uprawnień do modyfikacji klientów!';
$_['error_customer']                 = 'Uwaga: Nie znaleziono klienta!';
$_['error_points']                   = 'Podaj liczbę całkowitą punktów, najwyżej 9 cyfr, np. 50 lub -50.';
$_['error_points_zero']              = 'Liczba punktów nie może wynosić 0.';
$_['error_reason']                   = 'Podaj powód.';
$_['error_reason_length']            = 'Powód może mieć najwyżej 400 znaków.';
$_['error_form_key']                 = 'Ten formularz jest nieaktualny. Odśwież panel i spróbuj ponownie.';
$_['error_no_answer']                = 'Brak odpowiedzi usługi Lojal (%s). Ponowne wysłanie tego samego formularza jest bezpieczne: nigdy nie zostanie zastosowany dwa razy.';
$_['error_service']                  = 'Usługa Lojal nie przyjęła korekty (%s). Ponowne wysłanie tego samego formularza jest bezpieczne: nigdy nie zostanie zastosowany dwa razy.';
$_['error_insufficient']             = 'Klient nie ma tylu punktów do wykorzystania. Niczego nie zmieniono. Zaznacz „Zezwól na ujemne saldo”, aby mimo to odjąć punkty.';
$_['error_key_reused']               = 'Ten formularz wysłano już z innymi wartościami. Panel odświeżono: sprawdź aktywność przed kolejną korektą.';
$_['error_unknown']                  = 'Lojal jeszcze nie zna tego klienta, więc nie można skorygować jego punktów. Najpierw zapisz klienta.';
$_['error_refused']                  = 'Usługa Lojal odrzuciła korektę (%s).';

// Activity (ledger entry kinds, docs/ledger.md)
$_['text_activity_earn_order']       = 'Zdobyte za zamówienie #%s (oczekujące)';
$_['text_activity_earn']             = 'Zdobyte za zamówienie (oczekujące)';
$_['text_activity_mature_order']     = 'Zamówienie #%s: oczekujące punkty są dostępne';
$_['text_activity_mature']           = 'Oczekujące punkty są dostępne';
$_['text_activity_void_order']       = 'Zamówienie #%s anulowane: oczekujące punkty cofnięte';
$_['text_activity_void']             = 'Zamówienie anulowane: oczekujące punkty cofnięte';
$_['text_activity_reverse_order']    = 'Zwrot z zamówienia #%s: punkty odebrane';
$_['text_activity_reverse']          = 'Zwrot: punkty odebrane';
$_['text_activity_commit_order']     = 'Wykorzystane w zamówieniu #%s';
$_['text_activity_commit']           = 'Wykorzystane w zamówieniu';
$_['text_activity_restore_order']    = 'Zwrot pieniędzy za zamówienie #%s: wykorzystane punkty oddane';
$_['text_activity_restore']          = 'Zwrot pieniędzy: wykorzystane punkty oddane';
$_['text_activity_hold']             = 'Zarezerwowane w koszyku';
$_['text_activity_release']          = 'Rezerwacja z koszyka zwolniona';
$_['text_activity_expire']           = 'Wygasłe';
$_['text_activity_adjust']           = 'Korekta';
$_['text_activity_bonus']            = 'Bonus';
$_['text_activity_bonus_signup']     = 'Bonus powitalny';
$_['text_activity_bonus_birthday']   = 'Bonus urodzinowy';
$_['text_activity_bonus_review']     = 'Bonus za opinię';
$_['text_activity_bonus_referral']   = 'Bonus za polecenie';
$_['text_activity_bonus_feedback']   = 'Bonus za ocenę';
$_['text_activity_writeoff']         = 'Umorzone (dług darowany)';
$_['text_activity_import']           = 'Zaimportowane saldo początkowe';
$_['text_activity_other']            = 'Inna zmiana';
$_['text_by']                        = '(autor: %s)';
