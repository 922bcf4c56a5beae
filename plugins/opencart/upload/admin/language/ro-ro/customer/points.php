<?php
// Lojal: the loyalty points panel on the customer page (Customers > Customers > Edit)
// Counted phrases hold their plural forms separated by "|" (Plural::choose).

// Panel
$_['text_title']                     = 'Puncte de fidelitate (Lojal)';
$_['text_loading']                   = 'Se încarcă punctele de fidelitate...';
$_['text_available']                 = 'Puncte de folosit';
$_['text_pending']                   = 'În așteptare';
$_['text_held']                      = 'Rezervate pentru o comandă';
$_['text_earned']                    = 'Câștigate în total';
$_['text_redeemed']                  = 'Folosite în total';
$_['text_expired']                   = 'Expirate în total';
$_['text_tier']                      = 'Nivel';
$_['text_nothing']                   = 'Niciunul';
$_['text_next_tier']                 = '%s punct până la nivelul %s|%s puncte până la nivelul %s|%s de puncte până la nivelul %s';
$_['text_expiring_title']            = 'Expiră în curând';
$_['text_expiring']                  = '%s punct expiră pe %s|%s puncte expiră pe %s|%s de puncte expiră pe %s';
$_['text_activity']                  = 'Activitate recentă';
$_['text_no_activity']               = 'Nicio activitate încă.';
$_['text_unknown']                   = 'Lojal nu cunoaște încă acest client. Un client intră în program la prima comandă sau când este salvat pe această pagină.';
$_['text_not_configured']            = 'Lojal nu este configurat sau este oprit: introduceți adresa serviciului, cheia API și secretul webhook și porniți Starea în Extensii > Extensii > Altele > Lojal — puncte de fidelitate.';
$_['error_unavailable']              = 'Serviciul Lojal nu poate fi contactat acum (%s). Încercați mai târziu.';
$_['error_activity']                 = 'Activitatea nu poate fi afișată acum.';
$_['error_load']                     = 'Panoul punctelor de fidelitate nu a putut fi încărcat';
$_['column_date']                    = 'Data';
$_['column_description']             = 'Descriere';
$_['column_points']                  = 'Puncte';
$_['button_reload']                  = 'Reîncarcă';

// Adjustment
$_['text_adjust']                    = 'Corectare puncte';
$_['entry_points']                   = 'Puncte';
$_['help_points']                    = 'Un număr întreg: pozitiv pentru a adăuga puncte, negativ (de ex. -50) pentru a le scădea.';
$_['entry_reason']                   = 'Motiv';
$_['help_reason']                    = 'Obligatoriu. Păstrat cu înregistrarea, împreună cu numele dvs. de utilizator, și afișat clientului pe pagina Puncte de fidelitate.';
$_['entry_allow_negative']           = 'Permite sold negativ';
$_['help_allow_negative']            = 'Pentru a scădea mai mult decât are clientul de folosit: soldul scade sub zero, iar punctele următoare acoperă datoria.';
$_['button_adjust']                  = 'Corectează punctele';
$_['text_adjusted']                  = 'Punctele au fost corectate cu %s.';
$_['text_view_only']                 = 'Puteți vedea punctele, dar nu le puteți corecta: este nevoie de permisiunea de a modifica clienții.';

// Errors
$_['error_permission']               = 'Atenție: Nu aveți permisiunea de a vedea clienții!';
$_['error_modify']                   = 'Atenție: Nu aveți permisiunea de a modifica clienții!';
$_['error_customer']                 = 'Atenție: Clientul nu a fost găsit!';
$_['error_points']                   = 'Introduceți un număr întreg de puncte, de cel mult 9 cifre, de ex. 50 sau -50.';
$_['error_points_zero']              = 'Numărul de puncte nu poate fi 0.';
$_['error_reason']                   = 'Introduceți un motiv.';
$_['error_reason_length']            = 'Motivul poate avea cel mult 400 de caractere.';
$_['error_form_key']                 = 'Acest formular nu mai este valabil. Reîncărcați panoul și încercați din nou.';
$_['error_no_answer']                = 'Niciun răspuns de la serviciul Lojal (%s). Retrimiterea aceluiași formular este sigură: nu se aplică niciodată de două ori.';
$_['error_service']                  = 'Serviciul Lojal nu a putut prelua corectarea (%s). Retrimiterea aceluiași formular este sigură: nu se aplică niciodată de două ori.';
$_['error_insufficient']             = 'Clientul nu are atâtea puncte de folosit. Nu s-a schimbat nimic. Bifați „Permite sold negativ” pentru a le scădea totuși.';
$_['error_key_reused']               = 'Acest formular a fost deja trimis cu alte valori. Panoul a fost reîncărcat: verificați activitatea înainte de o nouă corectare.';
$_['error_unknown']                  = 'Lojal nu cunoaște încă acest client, deci punctele lui nu pot fi corectate. Salvați mai întâi clientul.';
$_['error_refused']                  = 'Serviciul Lojal a refuzat corectarea (%s).';

// Activity (ledger entry kinds, docs/ledger.md)
$_['text_activity_earn_order']       = 'Câștigate pentru comanda #%s (în așteptare)';
$_['text_activity_earn']             = 'Câștigate pentru o comandă (în așteptare)';
$_['text_activity_mature_order']     = 'Comanda #%s: punctele în așteptare au devenit disponibile';
$_['text_activity_mature']           = 'Punctele în așteptare au devenit disponibile';
$_['text_activity_void_order']       = 'Comanda #%s anulată: punctele în așteptare au fost retrase';
$_['text_activity_void']             = 'Comandă anulată: punctele în așteptare au fost retrase';
$_['text_activity_reverse_order']    = 'Retur sau rambursare pentru comanda #%s: puncte retrase';
$_['text_activity_reverse']          = 'Retur sau rambursare: puncte retrase';
$_['text_activity_commit_order']     = 'Folosite pentru comanda #%s';
$_['text_activity_commit']           = 'Folosite pentru o comandă';
$_['text_activity_restore_order']    = 'Rambursare pentru comanda #%s: punctele folosite au fost redate';
$_['text_activity_restore']          = 'Rambursare: punctele folosite au fost redate';
$_['text_activity_hold']             = 'Rezervate pentru o comandă';
$_['text_activity_release']          = 'Rezervarea pentru comandă a fost eliberată';
$_['text_activity_expire']           = 'Expirate';
$_['text_activity_adjust']           = 'Corectare';
$_['text_activity_bonus']            = 'Bonus';
$_['text_activity_bonus_signup']     = 'Bonus de înscriere';
$_['text_activity_bonus_birthday']   = 'Bonus de ziua de naștere';
$_['text_activity_bonus_review']     = 'Bonus pentru o recenzie';
$_['text_activity_bonus_referral']   = 'Bonus pentru o recomandare';
$_['text_activity_bonus_feedback']   = 'Bonus pentru o evaluare';
$_['text_activity_writeoff']         = 'Anulate (datorie iertată)';
$_['text_activity_import']           = 'Sold inițial importat';
$_['text_activity_other']            = 'Altă modificare';
$_['text_by']                        = '(de către %s)';
