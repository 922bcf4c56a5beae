<?php
// Heading
$_['heading_title']             = 'Lojal loyalty points';

// Text
$_['text_extension']            = 'Extensions';
$_['text_edit']                 = 'Edit Lojal settings';
$_['text_success']              = 'Success: You have modified the Lojal settings!';
$_['text_connection']           = 'Connection';
$_['text_mapping']              = 'Order status mapping';
$_['text_mapping_help']         = 'Which order statuses mean that an order is paid, completed, cancelled or refunded. Points are awarded and reversed by the Lojal service from these.';
$_['text_delivery']             = 'Event delivery';
$_['text_waiting']              = 'Events waiting to be sent';
$_['text_failed']               = 'Events refused by the service';
$_['text_last_error']           = 'Last error';
$_['text_none']                 = 'None';
$_['text_delivery_help']        = 'Events the service could not take are retried by the cron job "lojal" (Extensions > Cron Jobs) with growing pauses, up to once a day.';
$_['text_test_ok']              = 'Connected. Program currency %s, points per unit of currency: %s, points awarded when an order is %s. The webhook secret is accepted.';
$_['text_award_on_paid']        = 'paid';
$_['text_award_on_completed']   = 'completed';
$_['text_testing']              = 'Testing...';

// Entry
$_['entry_status']              = 'Status';
$_['entry_url']                 = 'Service URL';
$_['entry_api_key']             = 'API key';
$_['entry_webhook_secret']      = 'Webhook secret';
$_['entry_status_paid']         = 'Paid statuses';
$_['entry_status_completed']    = 'Completed statuses';
$_['entry_status_cancelled']    = 'Cancelled statuses';
$_['entry_status_refunded']     = 'Refunded statuses';
$_['entry_return_status']       = 'Return complete status';

// Help
$_['help_url']                  = 'The address of your Lojal service, e.g. https://loyalty.example.com';
$_['help_api_key']              = 'The shop key (lj_sk_...) shown once when the shop was created in Lojal.';
$_['help_return_status']        = 'A return reaching this status takes back the points its products earned.';

// Button
$_['button_test']               = 'Test connection';

// Error
$_['error_permission']          = 'Warning: You do not have permission to modify the Lojal settings!';
$_['error_url']                 = 'The service URL must start with http:// or https://';
$_['error_not_configured']      = 'Enter the service URL, the API key and the webhook secret first.';
$_['error_test']                = 'The service did not accept the API key: %s';
$_['error_secret']              = 'The API key works but the webhook secret does not (%s).';

// Import
$_['text_import']               = 'Import existing reward points';
$_['text_import_help']          = 'Sends every customer\'s OpenCart reward point balance to Lojal as an opening balance, in batches of 100. Safe to run again: a customer already imported is counted as a duplicate, never credited twice.';
$_['button_import']             = 'Import reward points';
$_['text_import_counts']        = '%s imported, %s already imported, %s refused';
$_['error_import']              = 'The import stopped: %s';
