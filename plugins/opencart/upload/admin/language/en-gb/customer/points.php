<?php
// Lojal: the loyalty points panel on the customer page (Customers > Customers > Edit)
// Counted phrases hold their plural forms separated by "|" (Plural::choose).

// Panel
$_['text_title']                     = 'Loyalty points (Lojal)';
$_['text_loading']                   = 'Loading the loyalty points...';
$_['text_available']                 = 'Points to spend';
$_['text_pending']                   = 'Pending';
$_['text_held']                      = 'Held for a checkout';
$_['text_earned']                    = 'Earned in total';
$_['text_redeemed']                  = 'Redeemed in total';
$_['text_expired']                   = 'Expired in total';
$_['text_tier']                      = 'Tier';
$_['text_nothing']                   = 'None';
$_['text_next_tier']                 = '%s point to %s|%s points to %s';
$_['text_expiring_title']            = 'Expiring soon';
$_['text_expiring']                  = '%s point expires on %s|%s points expire on %s';
$_['text_activity']                  = 'Recent activity';
$_['text_no_activity']               = 'No activity yet.';
$_['text_unknown']                   = 'Lojal does not know this customer yet. A customer joins the program with their first order, or when they are saved on this page.';
$_['text_not_configured']            = 'Lojal is not set up or is switched off: enter the service URL, the API key and the webhook secret and turn Status on in Extensions > Extensions > Other > Lojal loyalty points.';
$_['error_unavailable']              = 'The Lojal service cannot be reached right now (%s). Try again later.';
$_['error_activity']                 = 'The activity cannot be shown right now.';
$_['error_load']                     = 'The loyalty points panel could not be loaded';
$_['column_date']                    = 'Date';
$_['column_description']             = 'Description';
$_['column_points']                  = 'Points';
$_['button_reload']                  = 'Reload';

// Adjustment
$_['text_adjust']                    = 'Adjust points';
$_['entry_points']                   = 'Points';
$_['help_points']                    = 'A whole number: positive to add points, negative (e.g. -50) to take them away.';
$_['entry_reason']                   = 'Reason';
$_['help_reason']                    = 'Required. Kept with the entry together with your user name, and shown to the customer on their Loyalty points page.';
$_['entry_allow_negative']           = 'Allow a negative balance';
$_['help_allow_negative']            = 'For taking away more than the customer has to spend: the balance goes below zero and their next points repay it.';
$_['button_adjust']                  = 'Adjust points';
$_['text_adjusted']                  = 'Points adjusted by %s.';
$_['text_view_only']                 = 'You can see the points but not adjust them: that needs permission to modify customers.';

// Errors
$_['error_permission']               = 'Warning: You do not have permission to view customers!';
$_['error_modify']                   = 'Warning: You do not have permission to modify customers!';
$_['error_customer']                 = 'Warning: Customer not found!';
$_['error_points']                   = 'Enter a whole number of points of up to 9 digits, e.g. 50 or -50.';
$_['error_points_zero']              = 'The points cannot be 0.';
$_['error_reason']                   = 'Enter a reason.';
$_['error_reason_length']            = 'The reason can be at most 400 characters long.';
$_['error_form_key']                 = 'This form is out of date. Reload the panel and try again.';
$_['error_no_answer']                = 'No answer from the Lojal service (%s). Sending the same form again is safe: it is never applied twice.';
$_['error_service']                  = 'The Lojal service could not take the adjustment (%s). Sending the same form again is safe: it is never applied twice.';
$_['error_insufficient']             = 'The customer does not have that many points to spend. Nothing was changed. Tick "Allow a negative balance" to take them away anyway.';
$_['error_key_reused']               = 'This form was already sent with other values. The panel was reloaded: check the activity before adjusting again.';
$_['error_unknown']                  = 'Lojal does not know this customer yet, so their points cannot be adjusted. Save the customer first.';
$_['error_refused']                  = 'The Lojal service refused the adjustment (%s).';

// Activity (ledger entry kinds, docs/ledger.md)
$_['text_activity_earn_order']       = 'Earned on order #%s (pending)';
$_['text_activity_earn']             = 'Earned on an order (pending)';
$_['text_activity_mature_order']     = 'Order #%s: pending points became available';
$_['text_activity_mature']           = 'Pending points became available';
$_['text_activity_void_order']       = 'Order #%s cancelled: pending points voided';
$_['text_activity_void']             = 'Order cancelled: pending points voided';
$_['text_activity_reverse_order']    = 'Order #%s refunded or returned: points taken back';
$_['text_activity_reverse']          = 'Refund or return: points taken back';
$_['text_activity_commit_order']     = 'Spent on order #%s';
$_['text_activity_commit']           = 'Spent on an order';
$_['text_activity_restore_order']    = 'Order #%s refunded: spent points restored';
$_['text_activity_restore']          = 'Refund: spent points restored';
$_['text_activity_hold']             = 'Held for a checkout';
$_['text_activity_release']          = 'Checkout hold released';
$_['text_activity_expire']           = 'Expired';
$_['text_activity_adjust']           = 'Adjustment';
$_['text_activity_bonus']            = 'Bonus';
$_['text_activity_bonus_signup']     = 'Sign-up bonus';
$_['text_activity_bonus_birthday']   = 'Birthday bonus';
$_['text_activity_bonus_review']     = 'Review bonus';
$_['text_activity_bonus_referral']   = 'Referral bonus';
$_['text_activity_bonus_feedback']   = 'Feedback bonus';
$_['text_activity_writeoff']         = 'Written off (debt forgiven)';
$_['text_activity_import']           = 'Opening balance imported';
$_['text_activity_other']            = 'Other change';
$_['text_by']                        = '(by %s)';
