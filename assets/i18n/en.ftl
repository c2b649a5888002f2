# SalesDesk's English messages. Every key here is in zh-CN.ftl too, with the same
# arguments (a test checks both). Arguments are named: a translation may reorder them.

count-deals = { $count ->
    [one] { $count } deal
   *[other] { $count } deals
}

## Kinds, statuses, tiers, periods (enum-<Type>-<stored form>)
enum-Tier-key = Key
enum-Tier-normal = Normal
enum-Tier-low = Low
enum-CustomerStatus-prospect = Prospect
enum-CustomerStatus-active = Active
enum-CustomerStatus-at_risk = At risk
enum-CustomerStatus-churned = Churned
enum-CustomerKind-company = Company
enum-CustomerKind-person = Person
enum-DealStatus-open = Open
enum-DealStatus-won = Won
enum-DealStatus-lost = Lost
enum-ActivityKind-call = Call
enum-ActivityKind-email = Email
enum-ActivityKind-meeting = Meeting
enum-ActivityKind-visit = Visit
enum-ActivityKind-task = Task
enum-ActivityKind-note = Note
enum-ActivityKind-complaint = Complaint
enum-ActivityKind-service = Service
enum-Period-month = This month
enum-Period-quarter = This quarter
enum-Period-year = This year
enum-Period-all = All time
forecast-late = Late
forecast-none = None
forecast-month =
    { $month ->
        [1] Jan{ $year }
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }

## Search result kinds and book lists
search-kind-deals = Deals
search-kind-customers = Customers
search-kind-contacts = Contacts
search-kind-activities = Activities
book-list-lost-reason = lost reason
book-list-source = source
book-list-needs-name = a { $list } needs a name

## The keymap: what each key does (help-<context>-<command>), its status-bar hint

## (hint-<context>-<command>) and the contexts' titles (context-<name>)
help-global-quit = quit
help-global-help = help: every key of this view
hint-global-help = help
help-global-undo = undo the last change
help-global-search = search everything
help-global-review_conflicts = review sync conflicts
help-global-settings = pipelines, stages and custom fields: add, rename, reorder, delete
help-global-next_view = next view
help-global-previous_view = previous view
help-global-go_pipeline = Pipeline
help-global-go_customers = Customers
help-global-go_agenda = Agenda
help-global-go_reports = Reports
help-pipeline-left = previous column
help-pipeline-right = next column
help-pipeline-up = previous card
help-pipeline-down = next card
help-pipeline-first = first card
help-pipeline-last = last card
help-pipeline-move_previous = move deal to the previous stage
help-pipeline-move_next = move deal to the next stage
hint-pipeline-move_next = move
help-pipeline-open = deal detail
help-pipeline-add = add a deal
hint-pipeline-add = add
help-pipeline-edit = edit the deal
help-pipeline-win = mark won
hint-pipeline-win = won
help-pipeline-lose = mark lost (asks the reason)
hint-pipeline-lose = lost
help-pipeline-follow_up = schedule a follow-up
hint-pipeline-follow_up = follow-up
help-pipeline-log_activity = log an activity
help-pipeline-delete = delete the deal (asks first)
help-pipeline-toggle_mine = mine / everyone's
help-pipeline-toggle_closed = show / hide Won and Lost (closed in the last 90 days first)
help-pipeline-reopen = reopen the won or lost deal (pick a stage)
help-pipeline-pick_pipeline = show another pipeline (pick one)
help-detail-back = back where you came from (else the board)
hint-detail-back = back
help-detail-scroll_up = scroll up
help-detail-scroll_down = scroll down
help-detail-open_customer = open the customer
help-detail-edit = edit the deal
hint-detail-edit = edit
help-detail-win = mark won
help-detail-lose = mark lost (asks the reason)
help-detail-follow_up = schedule a follow-up
hint-detail-follow_up = follow-up
help-detail-log_activity = log an activity
hint-detail-log_activity = log
help-detail-delete = delete the deal (asks first)
help-detail-reopen = reopen the won or lost deal (pick a stage)
help-customers-left = previous column
help-customers-right = next column
help-customers-up = previous card
help-customers-down = next card
help-customers-first = first card
help-customers-last = last card
help-customers-move_previous = move to the previous column (status or tier)
help-customers-move_next = move to the next column (status or tier)
hint-customers-move_next = move
help-customers-open = customer profile
hint-customers-open = profile
help-customers-regroup = group by status / by tier
hint-customers-regroup = by tier/status
help-customers-add = add a customer
help-customers-edit = edit the customer
help-customers-delete = delete the customer (asks first)
help-customers-filter = filter by name, tag, industry or region
hint-customers-filter = filter
help-customers-back = clear the filter
help-customers-toggle_mine = mine / everyone's
help-customers-log_activity = log a visit, call, complaint…
help-customers-follow_up = schedule a revisit
help-profile-back = back where you came from (else the board)
hint-profile-back = back
help-profile-up = previous contact or deal
help-profile-down = next contact or deal
help-profile-open = edit the contact / open the deal
help-profile-add = add a contact
hint-profile-add = contact
help-profile-edit = edit the profile
help-profile-delete = remove the selected contact (asks first)
help-profile-mark_primary = make the contact primary
help-profile-satisfaction = set satisfaction 1–5
hint-profile-satisfaction = satisfaction
help-profile-add_tag = add a tag
help-profile-remove_tag = remove a tag
help-profile-log_activity = log a visit, call, complaint…
hint-profile-log_activity = log
help-profile-follow_up = schedule a revisit
hint-profile-follow_up = revisit
help-agenda-up = previous item
help-agenda-down = next item
help-agenda-first = first item
help-agenda-last = last item
help-agenda-open = open the deal or customer
hint-agenda-open = open
help-agenda-done = done: record the outcome, then plan the next step
hint-agenda-done = done
help-agenda-snooze = snooze (1 h, tomorrow, next Monday, or a time)
hint-agenda-snooze = snooze
help-agenda-add = add a reminder for any deal or customer
hint-agenda-add = add
help-agenda-edit = edit the reminder
help-agenda-delete = delete the reminder (asks first)
help-agenda-follow_up = schedule a follow-up for this deal or customer
help-reports-previous_period = the period before (month, quarter or year)
hint-reports-previous_period = earlier
help-reports-next_period = the period after, up to the current one
hint-reports-next_period = later
help-reports-cycle_period = period: month, quarter, year, all time
hint-reports-cycle_period = month/quarter/year/all
help-reports-pick_pipeline = pipeline: one pipeline's deals, or all pipelines
help-form-submit = save (when every field is valid)
hint-form-submit = save
help-form-next_field = next field, taking the highlighted suggestion
hint-form-next_field = next
help-form-down = next suggestion, else next field
hint-form-down = next
help-form-previous_field = previous field
hint-form-previous_field = previous
help-form-up = previous suggestion, else previous field
hint-form-up = previous
help-form-left = cursor left; previous choice
help-form-right = cursor right; next choice
help-form-start = to the start of the field
help-form-end = to the end of the field
help-form-word_left = a word back
help-form-word_right = a word on
help-form-delete_back = delete the character before the cursor
help-form-delete_forward = delete the character under the cursor
help-form-delete_word = delete the word before the cursor
help-form-delete_to_end = delete to the end of the field
help-form-clear = clear the field
help-form-new_line = a new line (in Notes)
help-form-cancel = cancel without a change
hint-form-cancel = cancel
help-confirm-yes = yes
hint-confirm-yes = yes
help-confirm-no = no
hint-confirm-no = no
help-picker-down = next choice
help-picker-up = previous choice
help-picker-submit = choose
hint-picker-submit = choose
help-picker-pick_number = choose by number
help-picker-cancel = cancel
hint-picker-cancel = cancel
help-search-up = previous result
hint-search-up = choose
help-search-down = next result
hint-search-down = choose
help-search-submit = open the result in its view
hint-search-submit = open
help-search-left = cursor left
help-search-right = cursor right
help-search-start = to the start
help-search-end = to the end
help-search-word_left = a word back
help-search-word_right = a word on
help-search-delete_back = delete the character before the cursor
help-search-delete_forward = delete the character under the cursor
help-search-delete_word = delete the word before the cursor
help-search-delete_to_end = delete to the end
help-search-clear = clear the search
help-search-cancel = close
hint-search-cancel = close
help-search-help = help: the keys of search
hint-search-help = help
help-conflicts-keep_theirs = keep the teammate's value
hint-conflicts-keep_theirs = keep theirs
help-conflicts-restore_mine = restore my value
hint-conflicts-restore_mine = restore mine
help-conflicts-down = next conflict
hint-conflicts-down = choose
help-conflicts-up = previous conflict
hint-conflicts-up = choose
help-conflicts-cancel = close
hint-conflicts-cancel = close
help-settings-down = next line
hint-settings-down = choose
help-settings-up = previous line
hint-settings-up = choose
help-settings-add = add a stage after the selected one (a field in Fields, a member in Members)
hint-settings-add = add stage
help-settings-add_pipeline = add a pipeline
hint-settings-add_pipeline = add pipeline
help-settings-edit = edit: name, probability, rotting days; a member's role
hint-settings-edit = edit
help-settings-move_previous = move it up (earlier on the board)
hint-settings-move_previous = move
help-settings-move_next = move it down (later on the board)
hint-settings-move_next = move
help-settings-delete = delete it (a stage asks where its deals go; a member is removed, asked first)
hint-settings-delete = delete
help-settings-undo = undo the last change (a move, an edit, a delete)
help-settings-cancel = close
hint-settings-cancel = close
help-help-scroll_down = scroll down
help-help-scroll_up = scroll up
help-global-quit-2 = quit from anywhere, a form included
context-global = Everywhere
context-pipeline = Pipeline board
context-detail = Deal detail
context-customers = Customers board
context-profile = Customer profile
context-agenda = Agenda
context-reports = Reports
context-form = Form
context-confirm = Question
context-picker = Choice
context-search = Search
context-conflicts = Sync conflicts
context-settings = Pipelines and stages
context-help = Help

## The frame: tabs, status bar, help overlay, times
tab-pipeline = Pipeline
tab-customers = Customers
tab-agenda = Agenda
tab-reports = Reports
tui-too-small = SalesDesk needs { $min_width }×{ $min_height }; this terminal is { $width }×{ $height }. Make it larger, or press { $quit } to quit.
scope-mine = mine
scope-everyone = everyone's
tabs-pipeline-scope = { $pipeline } pipeline ({ $key } other) · { $scope }
tabs-right = { $scope } · { $help } help{" "}
status-counting = counting reminders…
status-no-reminders = no reminders
status-overdue = ⚠ { $count } overdue
status-today = { $count } today
status-next = {" "}· next{" "}
status-next-reminder = { $when } { $subject }{ $who } — { $about }
status-conflicts =
    { $count ->
        [one] { $count } conflict ({ $key } review)
       *[other] { $count } conflicts ({ $key } review)
    }
status-syncing = syncing…
duration-seconds = { $count } s
duration-minutes = { $count } min
status-synced = synced { $ago } ago
status-synced-kept-out =
    { $count ->
        [one] synced { $ago } ago, { $count } bad row kept out (team status)
       *[other] synced { $ago } ago, { $count } bad rows kept out (team status)
    }
status-sync-failed = sync: { $error }
help-title = {" "}Keys — { $down }/{ $up } scroll · any other key closes{" "}
help-more-below = {" "}↓ { $count } more ({ $key }){" "}
help-more-above = {" "}↑ { $count } above ({ $key }){" "}
time-weekday-time = { $weekday } { $time }
weekday-short =
    { $day ->
        [1] Mon
        [2] Tue
        [3] Wed
        [4] Thu
        [5] Fri
        [6] Sat
       *[7] Sun
    }

## Counts and figures
figure-days = { $days } days
figure-days-short = { $days }d
days-short = { $count }d
never = never
date-day-month =
    { $day } { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    }
date-month-year =
    { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    } { $year }

## Reports view
reports-title = {" "}Reports
reports-period-currency = {" "}· { $period } · amounts in { $currency }
reports-pipeline = Pipeline
reports-open = Open
reports-weighted = Weighted
reports-other-currency-open = +{ $count } in { $currency }: { $total } (w { $weighted })
reports-other-currency-open-short = +{ $count } { $currency } { $total } (w { $weighted })
reports-won = Won
reports-other-currency-won = +{ $count } in { $currency }: { $total }
reports-win-rate = Win rate
reports-won-lost = {"  "}{ $won } won · { $lost } lost
reports-won-lost-short = {" "}{ $won } won · { $lost } lost
reports-average-won = Avg won
reports-average-cycle = Avg cycle
reports-velocity = Velocity
reports-per-day = { $amount }/day
reports-stage-conversion = Stage conversion
reports-no-stages = {" "}no stages
reports-lost-reasons = Lost reasons
reports-none-in-period = {" "}none in this period
reports-more-rows = {" "}+{ $count } more rows · salesdesk report
reports-more-customers = {" "}+{ $count } more customers · salesdesk report
reports-customers = Customers  { $count }
reports-churn = Churn
reports-churn-of = {"  "}{ $churned } of { $start } at start
reports-churn-of-short = {" "}{ $churned }/{ $start } at start
reports-repurchase = Repurchase
reports-repurchase-of = {"  "}{ $repeat } of { $buyers } buyers
reports-repurchase-of-short = {" "}{ $repeat }/{ $buyers } buyers
reports-satisfaction = Satisfaction
reports-rated = {"  "}({ $count } rated)
reports-revisits = Longest past revisit cadence
reports-none-overdue = {" "}none overdue
reports-forecast = Forecast by month of close, { $currency }
reports-no-open-deals = {" "}no open deals
reports-column-deals = deals
reports-column-total = total
reports-column-weighted = weighted
reports-no-date = no date
reports-in-currency = in { $currency }

## Periods
period-month =
    { $month ->
        [1] January
        [2] February
        [3] March
        [4] April
        [5] May
        [6] June
        [7] July
        [8] August
        [9] September
        [10] October
        [11] November
       *[12] December
    } { $year }
period-quarter = Q{ $quarter } { $year }
period-year = { $year }

## salesdesk report
report-span = { $from } to { $to }
report-span-up-to = up to { $to }
report-title = Report for { $label } ({ $span }) · amounts in { $currency }
report-pipeline-named = PIPELINE { $name } (its open deals now; its deals closed in the period)
report-pipeline = PIPELINE (open deals now; closed deals in the period)
report-open-deals = Open deals
report-lost = Lost
report-win-rate-how = { $rate }  (won ÷ (won + lost) = { $won } ÷ { $closed })
report-average-cycle = Average sales cycle
report-average-cycle-how = { $days }  (creation to win)
report-average-won = Average won amount
report-velocity = Sales velocity
report-a-day = { $amount } a day
report-stage-conversion = STAGE CONVERSION (deals that entered the stage in the period)
column-stage = STAGE
column-entered = ENTERED
column-advanced = ADVANCED
column-conversion = CONVERSION
column-time-in-stage = AVG TIME IN STAGE
report-lost-reasons = LOST REASONS (deals lost in the period)
report-none = {"  "}none
report-forecast = FORECAST BY MONTH OF EXPECTED CLOSE (open deals)
report-no-open-deals = {"  "}no open deals
column-month = MONTH
column-deals = DEALS
column-total = TOTAL
column-weighted = WEIGHTED
report-customers = CUSTOMERS (as they stand now; churn in the period)
report-by-status = By status
report-by-tier = By tier
report-churn-rate = Churn rate
report-churn-how = { $rate }  ({ $churned } churned ÷ { $start } active at the start)
report-repurchase-rate = Repurchase rate
report-repurchase-how = { $rate }  ({ $repeat } with 2+ won deals ÷ { $buyers } with 1+)
report-satisfaction-how = { $score }  ({ $count } rated)
report-revisits = LONGEST PAST THEIR REVISIT CADENCE
column-customer = CUSTOMER
column-tier = TIER
column-last-contact = LAST CONTACT
column-days-overdue = DAYS OVERDUE
report-bucket-overdue = overdue

## Pipeline board
verb-edit = edit
verb-mark-won = mark won
verb-mark-lost = mark lost
verb-follow-up = follow up
verb-log-activity = log an activity for
verb-delete = delete
verb-move = move
verb-open = open
verb-reopen = reopen
board-column-empty = { $column } has no deals, so there is nothing to { $verb }. a adds one here; h/l goes to another column.
board-no-stages = The pipeline has no stages.
board-closed-cannot-move = '{ $title }' is { $status }: { $key } reopens it into a stage.
board-closed-shown = Won and Lost shown, the latest closed first. { $key } hides them.
board-closed-hidden = Won and Lost hidden.
board-no-deals = {" "}no deals
board-reopen-open = '{ $title }' is open; only a won or lost deal reopens (z shows them).
deal-already-lost = { $title } is already lost.
confirm-delete-deal-title = Delete deal
confirm-delete-deal = Delete '{ $title }' ({ $customer })? { $key } undoes it.
board-other-currencies = {" "}+{ $count } cur
board-weighted = {" "}· wtd { $amount }
card-close = {" "}· close { $date }
card-no-close-date = {" "}· no close date
card-overdue-since = ⏰ overdue since { $when }
card-due = ⏰ { $when }
card-no-next-step = ● no next step
date-month-day =
    { $month ->
        [1] Jan
        [2] Feb
        [3] Mar
        [4] Apr
        [5] May
        [6] Jun
        [7] Jul
        [8] Aug
        [9] Sep
        [10] Oct
        [11] Nov
       *[12] Dec
    } { $day }

## Stage history
history-created = created in { $stage }
history-won = won in { $stage }
history-lost = lost in { $stage }
history-reopened = reopened in { $stage } (was in { $was })
history-moved = { $from } → { $to }

## Fields of a deal or customer (labels)
field-customer = Customer
field-status = Status
field-stage = Stage
field-amount = Amount
field-weighted = Weighted
field-close = Close
field-next-step = Next step
field-source = Source
field-owner = Owner
field-created = Created
field-updated = Updated
field-lost-reason = Lost reason
field-notes = Notes

## Deal detail
detail-status-open = Open — { $stage }
detail-status-won = Won ({ $at })
detail-status-lost = Lost ({ $at })
detail-stage-open = { $stage } ({ $probability } %)
detail-stage-won = won (closed from { $stage })
detail-stage-lost = lost (closed from { $stage })
detail-weighted-won = { $amount } (won: counts in full)
detail-weighted-lost = { $amount } (lost: counts nothing)
detail-none-scheduled = none scheduled
detail-rotting = ⚑ Rotting
detail-rotting-days = no activity for over { $days } days
detail-stage-history = Stage history
detail-days-in-stage = {"  "}{ $days } d
detail-progress-log = Progress log (newest first)
detail-nothing-yet = {"  "}nothing yet — { $log } logs an activity, { $follow_up } schedules a follow-up
log-overdue = { $when } overdue
log-due = { $when } due
log-kind = { $kind }

## Customers board
customers-none-selected = No customer selected.
customers-tier-column = { $tier } tier
customers-no-column-further = No column further that way.
customers-grouped-by-status = Grouped by status.
customers-grouped-by-tier = Grouped by tier.
confirm-delete-customer-title = Delete customer
confirm-delete-customer = Delete { $name }? { $key } undoes it.
customers-no-filter = No filter to clear.
customers-filter-cleared = Filter cleared.
customers-revisit-subject = Revisit
customers-column-ltv = {" "}LTV { $amount }
customers-no-customers = {" "}no customers
customers-days-since-contact = { $days }d since contact
customers-never-contacted = never contacted
customers-overdue = overdue { $when }
customers-next = next { $when }
customers-no-revisit = no revisit set
customers-card-ltv = LTV { $amount }
customers-open-deals = {" "}· { $count } open

## Customer profile
profile-nothing-selected = Nothing selected: add a contact with { $key }.
confirm-remove-contact-title = Remove contact
confirm-remove-contact = Remove { $contact } from { $customer }? { $key } undoes it.
profile-select-contact-to-remove = Select a contact to remove ({ $keys }).
profile-already-primary = { $name } is already the primary contact.
profile-select-contact-to-make-primary = Select a contact to make primary ({ $keys }).
profile-no-tags = { $name } has no tags.
profile-last-contact = { $when } ({ $days } days ago)
profile-last-contact-due = { $when } ({ $days } days ago) — revisit due
field-kind = Kind
field-tier = Tier
field-industry = Industry
field-region = Region
field-satisfaction = Satisfaction
field-tags = Tags
field-website = Website
field-last-contact = Last contact
field-overdue = Overdue
field-next-reminder = Next reminder
profile-tier-cadence = { $tier } · every { $days } d
profile-overdue-since = since { $when }
profile-contacts = Contacts ({ $add } add · { $edit } edit · { $primary } primary · { $remove } remove)
profile-none-yet = {"  "}none yet
profile-open-deals = Open deals ({ $key } opens in the pipeline)
profile-cooperation = Cooperation history (won deals)
profile-no-purchases = {"  "}no purchases yet
profile-lifetime-value = {"  "}Lifetime value { $amount }
profile-first-last-purchase = {"  "}First purchase { $first } · last { $last }
profile-service-timeline = Service timeline ({ $log } log · { $revisit } schedule a revisit)
profile-nothing-yet = {"  "}nothing yet

## Agenda
agenda-overdue = Overdue
agenda-today = Today
agenda-next-7-days = Next 7 days
agenda-revisits-due = Revisits due
agenda-no-next-step = No next step
agenda-nothing-to-open = Nothing to open on this line.
agenda-select-to-mark-done = Select a reminder to mark done; { $key } plans a step for this line.
snooze-option = { $label } ({ $when })
snooze-another-time = another time…
snooze-title = Snooze until
snooze-hour-later = 1 hour later
snooze-in-an-hour = in 1 hour
snooze-tomorrow = tomorrow 09:00
snooze-next-monday = next Monday 09:00
agenda-only-reminders-snooze = Only reminders can be snoozed.
agenda-select-to-edit = Select a reminder to edit.
confirm-delete-reminder-title = Delete reminder
confirm-delete-reminder = Delete '{ $subject }' ({ $about })? { $key } undoes it.
agenda-select-to-delete = Select a reminder to delete.
agenda-nothing-to-plan = Nothing to plan a step for on this line.
agenda-days-since-contact = { $days } days since contact

## Reports component
reports-all-time-no-step = All time has no period before or after it; { $key } picks months, quarters or years
reports-latest-period = { $period } is the latest: the next has not begun
reports-reading = Reading the figures…
reports-reading-period = reading { $period }… · { $keys }
reports-failed = the figures could not be read: { $why }
reports-key-period = { $keys } period
reports-key-length = { $key } length
reports-key-pipeline = { $key } pipeline

## Forms
form-filter-keys = filters as you type · { $keep } keep · { $back } as before
form-label-title = Title
form-label-customer = Customer
form-label-amount = Amount
form-label-currency = Currency
form-label-close = Close
form-label-stage = Stage
form-label-source = Source
form-label-notes = Notes
form-label-kind = Kind
form-label-subject = Subject
form-label-when = When
form-label-reason = Reason
form-label-name = Name
form-label-tier = Tier
form-label-status = Status
form-label-industry = Industry
form-label-region = Region
form-label-website = Website
form-label-phone = Phone
form-label-email = Email
form-label-contains = Contains
form-label-tag = Tag
form-label-outcome = Outcome
form-label-for = For
form-label-owner = Owner
form-hint-owner = the team member who works it; a name's first letter picks it
form-owner-me = { $name } (me)
form-owner-nobody = nobody
form-owner-former = { $name } (no longer in the team)
form-owner-unknown = a member unknown here ({ $id })
form-error-owner-gone = { $name } is no longer a member of the team (removed since this form opened): choose another owner. Nothing was saved.
form-hint-type-to-search-a-new-name-adds-a-prospec = type to search; a new name adds a prospect
form-hint-e-g-12-500-50 = e.g. 12,500.50
form-hint-yyyy-mm-dd-2w-tomorrow-next-friday = YYYY-MM-DD, +2w, tomorrow, next friday
form-hint-the-team-s-sources-are-suggested-any-tex = the team's sources are suggested; any text is fine
form-hint-ctrl-j-or-alt-enter-new-line = Ctrl-J or Alt-Enter: new line
form-hint-now-or-when-it-happened-yesterday-15-00 = now, or when it happened: yesterday 15:00, -2h, mon 10:00
form-hint-e-g-49-30-1234567 = e.g. +49 30 1234567
form-hint-e-g-name-example-com = e.g. name@example.com
form-hint-name-tag-industry-or-region-empty-shows = name, tag, industry or region; empty shows all
form-hint-optional-what-came-of-it = optional: what came of it
form-hint-14-30-tomorrow-10-00-mon-9-00-2h-3d = 14:30, tomorrow 10:00, mon 9:00, +2h, +3d
form-hint-type-a-deal-or-customer-name = type a deal or customer name
form-hint-when = 14:30, tomorrow 10:00, mon 9:00, +2h, +3d, 2026-12-01 14:30
form-default-now = now
form-default-tomorrow = tomorrow 09:00
form-title-edit-deal = Edit deal — { $title }
form-title-add-deal = Add deal
form-title-log-activity = Log an activity — { $name }
form-title-follow-up = Schedule a follow-up
form-title-why-lost = Why was it lost?
form-title-add-customer = Add customer
form-title-edit = Edit { $name }
form-title-add-contact = Add contact
form-title-why-churn = Why is { $name } churning?
form-title-filter-customers = Filter customers
form-title-tag = Tag { $name }
form-title-done = Done: { $subject }
reminder-for-deal = { $name } (deal)
reminder-for-customer = { $name } (customer)
form-title-add-reminder = Add a reminder
form-title-edit-reminder = Edit reminder

## Pickers
picker-other-reason = Other… (type a reason)
picker-all-pipelines = All pipelines
picker-reopen-title = Reopen into which stage?
picker-pipeline-title = Show which pipeline?
picker-pipeline-subtitle = Each pipeline is a board of its own stages.
picker-report-pipeline-title = Report on which pipeline?
picker-report-pipeline-subtitle = Customer figures stay the whole book's.
picker-delete-target-subtitle = Each deal moved gets a history row; u undoes.
picker-remove-tag-title = Remove which tag?
satisfaction-1 = 1 — very unhappy
satisfaction-2 = 2 — unhappy
satisfaction-3 = 3 — neutral
satisfaction-4 = 4 — happy
satisfaction-5 = 5 — delighted
satisfaction-unknown = not known

## Search
search-type-to-search = Type to search deals, customers, contacts and activities.
search-nothing-matches = Nothing matches.
search-kind-count = { $kind } ({ $count })
search-title = {" "}Search — { $keys }{" "}

## Sync conflicts
conflicts-title = {" "}Sync conflicts — { $count } to review{" "}
conflicts-intro = A teammate's edit replaced these values of yours. Their value is in place now.
conflicts-field-of-record = { $field } of { $record }
conflicts-by = {"  "}by { $who }
conflicts-nothing-left = Nothing left to review.
conflicts-theirs = { $who }'s
conflicts-yours = yours
conflicts-in-place = {"  "}(in place)
conflicts-refused-hint = Kept here only; sent again once the team database shows you the record. t dismisses it.

## What the TUI says after an action
said-moved = Moved { $title } to { $stage }.
said-reopened = Reopened { $title } in { $stage }. { $key } undoes.
said-won = Won { $title } — { $amount }.
said-won-promoted = Won { $title } — { $amount }. { $customer } is now an active customer.
confirm-won-title = Won!
confirm-after-sale = Schedule the first after-sale follow-up with { $customer }?
after-sale-subject = After-sale check-in: { $title }
said-deleted = Deleted — { $what }. { $key } undoes.
said-lost = Lost ({ $reason }) — { $what }.
said-customer-status = { $name } is now { $status }.
said-customer-tier = { $name } is now { $tier } tier.
said-customer-deleted = Customer deleted. { $key } undoes it.
said-contact-removed = Contact removed. { $key } undoes it.
said-primary-contact = { $name } is the primary contact.
said-churned = { $name } churned ({ $reason }).
said-satisfaction-cleared = Satisfaction cleared.
said-satisfaction-set = Satisfaction set to { $value }/5.
said-tag-removed = Tag { $tag } removed.
said-snoozed = Snoozed until { $when }.
said-reminder-deleted = Reminder deleted. { $key } undoes it.
said-demo-loaded = Demo data loaded: { $customers } customers, { $deals } deals.
said-done = Done: { $subject }.
form-title-next-step = Next step — { $about } ({ $key } skips)
form-title-no-next-step = { $about } has no next step — plan one ({ $key } skips)
said-kept-theirs = Kept { $who }'s { $field } of { $record }. { $key } undoes.
said-restored-mine = Restored your { $field } of { $record }; teammates get it on the next sync. { $key } undoes.

## The app
confirm-welcome-title = Welcome to SalesDesk
confirm-welcome = This database is empty. Load demo data to look around? (You can also press { $no } and add your first deal with { $add }.)
app-nothing-to-paste-into = Nothing to paste into here: open a form (a, e) or search (/) first.
app-no-conflicts = No sync conflicts to review.
app-undone = Undone: { $what }
app-nothing-to-undo = Nothing to undo in this session.
form-error-gone = Nothing was saved: { $why }. It was deleted since this form opened (by a sync or another window); Esc closes the form.
app-showing-mine = Showing my deals and customers.
app-showing-all = Showing all deals and customers.
app-showing-pipeline = Showing the { $name } pipeline.
app-reports-for-pipeline = Reports for the { $name } pipeline; { $key } for all.
app-reports-for-all = Reports for all pipelines, each with its own funnel.
err-MoneyError-Negative = amount '{ $arg0 }' is negative; amounts are zero or more

## Errors (err-<Type>-<Variant>)
err-MoneyError-Empty = amount is empty
err-MoneyError-NotANumber = amount '{ $arg0 }' is not a number (use digits, an optional '.' and ',' between thousands, e.g. 12,500.50)
err-MoneyError-NotACommaNumber = amount '{ $arg0 }' is not a number (use digits, an optional ',' and '.' between thousands, e.g. 12.500,50)
err-MoneyError-TooPrecise = amount '{ $input }' has more than { $digits } decimal places for { $currency }
err-MoneyError-TooLarge = amount '{ $arg0 }' is too large
err-MoneyError-BadCurrency = currency '{ $arg0 }' is not a three-letter ISO 4217 code such as EUR or USD
err-MoneyError-NotIso = currency '{ $arg0 }' is not an ISO 4217 code; use one such as EUR, USD or CNY
err-MoneyError-UnknownCurrency = currency '{ $code }' is not an ISO 4217 code; did you mean { $suggestions }?
err-MoneyError-BadGrouping = '{ $input }' has thousands separators in the wrong place (write { $example } or 12500)
err-TimeError-BadDate = '{ $arg0 }' is not a date; try 2026-12-01, today, tomorrow, +2w, +10d, next friday or 下周一
err-TimeError-BadWhen = '{ $arg0 }' is not a time; try 2026-12-01 14:30, 14:30, tomorrow 09:00, mon 9:00, next monday, +2h, +3d, +1w or 明天 10:00
err-TimeError-Skipped = { $arg0 } does not exist in the local time zone (the clocks skip it); pick another time
err-TimeError-BadPast = '{ $arg0 }' is not a past time; try yesterday 15:00, -2h, -3d, 14:30, mon 10:00 or 2026-11-27 10:00
err-TimeError-Future = '{ $arg0 }' is still to come; what happened is logged in the past (schedule what is to come)
err-RuleError-NotOpen = '{ $title }' is { $status }; reopen it before moving it
err-RuleError-SameStage = '{ $arg0 }' is already in that stage
err-RuleError-AlreadyWon = '{ $arg0 }' is already won
err-RuleError-AlreadyLost = '{ $arg0 }' is already lost
err-RuleError-Closed = '{ $title }' is { $status }; reopen it first
err-RuleError-ReasonRequired = losing a deal needs a reason (for example: price, timing, competitor)
err-RuleError-NotClosed = '{ $arg0 }' is open; only won or lost deals can be reopened
err-RuleError-TitleRequired = a deal needs a title
err-RuleError-FirstStage = '{ $arg0 }' is already in the first stage
err-RuleError-LastStage = '{ $arg0 }' is already in the last stage; win it with w
err-SetupError-NameRequired = a { $arg0 } needs a name
err-SetupError-Probability = a win probability is a percentage from 0 to 100, not { $arg0 }
err-SetupError-RotDays = rotting days are a number of days from 0 to { $max_rot_days }, not { $arg0 }
err-SetupError-DuplicateStage = the { $pipeline } pipeline already has a stage named '{ $name }'
err-SetupError-DuplicatePipeline = there is already a pipeline named '{ $arg0 }'
err-SetupError-LastStage = '{ $arg0 }' is the only stage of its pipeline; a pipeline needs at least one stage
err-SetupError-LastPipeline = '{ $arg0 }' is the only pipeline; a book needs at least one
err-SetupError-StageHoldsDeals = '{ $name }' holds { $deals } deal(s); say where they go with --move-to (another stage of { $pipeline })
err-SetupError-PipelineHoldsDeals = '{ $name }' holds { $deals } deal(s); say where they go with --move-to (another pipeline)
err-SetupError-MoveToItself = the deals of '{ $arg0 }' cannot be moved to itself
err-SetupError-MoveToOtherPipeline = --move-to '{ $target }' is a stage of another pipeline; a deleted stage's deals stay in { $pipeline }
err-SetupError-Position = a stage's position is from 1 to { $most }, not { $given }
err-StoreError-NotFound = no { $what } matches '{ $reference }'
err-StoreError-NewerSchema = this database was made by a newer SalesDesk (schema version { $found }; this one knows up to { $supported }); upgrade SalesDesk to open it — the file was not changed
err-StoreError-NotADatabase = { $path } is not a SalesDesk database: { $why }; it was left unchanged
err-StoreError-File = { $arg0 }
err-StoreError-Invalid = { $arg0 }
err-StoreError-Internal = internal error: { $arg0 }
err-StoreError-Sqlite = database error: { $arg0 }
err-StoreError-Ambiguous = '{ $reference }' matches more than one { $what }: { $candidates }; use the id shown

## Nouns named in messages (noun-<word>)
noun-deal = deal
noun-customer = customer
noun-contact = contact
noun-activity = activity
noun-reminder = reminder
noun-conflict = conflict
noun-stage = stage
noun-pipeline = pipeline
noun-pipeline-or-stage = pipeline or stage
noun-deleted-customer = deleted customer
noun-deleted-deal = deleted deal
noun-member = member

## Form errors and what saving says
form-error-say-why-churn = say why, e.g. 'moved to a competitor'
form-error-lost-needs-reason = a lost deal needs a reason
form-error-currency-mismatch = the amount says { $said } but the currency is { $currency }; change one of them
form-error-choose-customer = choose a customer or type a new name
form-error-no-such-customer = no customer is named '{ $name }' (↓ and Tab pick { $like }); Enter again adds it as a new prospect
said-new-prospect = {" "}New prospect { $name } added.
said-added-deal = Added { $title } to { $stage }.{ $new }
said-saved-deal = Saved { $title }.{ $new }
said-nothing-changed = Nothing changed.
form-error-say-what-about = say what it is about, e.g. 'Call about the quote'
said-scheduled = Scheduled { $subject } for { $when }.
said-logged = Logged { $subject }.
form-error-customer-needs-name = a customer needs a name
said-added = Added { $name }.
said-saved = Saved { $name }.
said-now-owned = {" "}It is now { $name }'s.
said-added-given = Added { $name }, given to { $owner }.
said-saved-given = Saved { $name }; it is now { $owner }'s.
owner-not-a-member = The owner { $id } is not a member of the team (removed, or unknown in this book): give it to a member of the team.
form-error-contact-needs-name = a contact needs a name
said-added-contact = Added contact { $name }.
said-saved-contact = Saved contact { $name }.
form-error-type-a-tag = type a tag, e.g. vip (commas separate several)
said-tagged = Tagged { $tags }.
form-error-pick-from-list = { $error }; pick a deal or customer from the list
form-error-pick-for = pick a deal or customer
said-reminder-set = Reminder set for { $when }.
form-error-say-what-about-short = say what it is about
said-saved-due = Saved; due { $when }.

## Pipelines and stages (settings)
form-label-win-percent = Win %
form-label-rots-after = Rots after
form-hint-win-percent = 0 to 100: how likely a deal here is won
form-hint-rots-after = days without activity before a deal is flagged
form-error-whole-number = a whole number, e.g. 40
form-title-add-pipeline = Add pipeline (with the default stages)
form-title-add-stage = Add a stage to { $pipeline }
form-title-rename-pipeline = Rename pipeline — { $name }
form-title-edit-stage = Edit stage — { $name }
said-moved-setting = Moved.
said-deleted-stage-moved = Deleted the stage { $name }; { $count } deal(s) moved to { $target }.
said-deleted-stage = Deleted the stage { $name }.
said-deleted-pipeline-moved = Deleted the pipeline { $name }; { $count } deal(s) moved to { $target }.
said-deleted-pipeline = Deleted the pipeline { $name }.
picker-delete-where = Delete { $name }: its { $count } deal(s) go to
confirm-delete-stage-title = Delete stage
confirm-delete-stage = Delete the stage { $name }?
confirm-delete-pipeline-title = Delete pipeline
confirm-delete-pipeline = Delete the pipeline { $name } and its stages?
said-added-pipeline = Added the pipeline { $name }.
said-renamed-pipeline = Renamed the pipeline to { $name }.
said-added-stage = Added the stage { $name }.
said-saved-stage = Saved the stage { $name }.
settings-intro = Each pipeline is a board; its stages are the columns.
settings-open = {"  "}{ $count } open
settings-stage-figures = {" "}{ $probability } %  rots after { $days } d  { $open } open
tui-last-sync-failed = the last sync failed: { $error }
form-one-line-only = one line only here; Ctrl-J starts a new line in Notes
mouse-board-changed = The board changed while you dragged; nothing was moved.
mouse-drop-on-stage = Drop a deal on a stage; w wins it, x loses it.
error-not-an-email = '{ $email }' is not an email address (like name@example.com)
error-not-a-phone = '{ $phone }' is not a phone number (like +49 30 1234567)
error-not-one-of = '{ $value }' is not a { $what }; use one of { $all }
noun-tier = tier
noun-customer-status = customer status
noun-customer-kind = customer kind
noun-deal-status = deal status
noun-won = won
noun-lost = lost
noun-open = open

## A new book's stages, pipeline and lost reasons (ids stay fixed)
default-stage-lead = Lead
default-stage-qualified = Qualified
default-stage-proposal = Proposal
default-stage-negotiation = Negotiation
default-pipeline-sales = Sales
default-lost-reasons = price, timing, competitor, no budget, no decision, product fit

## salesdesk deal
cli-amount-currency-mismatch = --amount says { $said } but --currency says { $currency }; give the currency once
cli-pipeline-has-no-stages = the { $name } pipeline has no stages
cli-deal-added = Added { $id } '{ $title }' for { $customer } in { $stage }, { $amount }.
cli-deal-added-new-prospect = Added { $id } '{ $title }' for { $customer } (new prospect) in { $stage }, { $amount }.
cli-give-reason = { $error }; give it with --reason TEXT
cli-deal-deleted = Deleted '{ $title }'. Undo with: salesdesk deal restore { $id }
cli-verb-saved = Saved
cli-verb-moved = Moved
cli-verb-won = Won
cli-verb-lost = Lost
cli-verb-reopened = Reopened
cli-verb-restored = Restored
cli-in-stage-of-pipeline = in { $stage } ({ $pipeline })
cli-in-stage = in { $stage }
cli-deal-done = { $verb }: { $id } '{ $title }' — { $place }, { $amount }.
cli-now-active-customer = { $name } is now an active customer.
cli-no-deals = No deals.
column-id = ID
column-title = TITLE
column-pipeline = PIPELINE
column-amount = AMOUNT
column-close = CLOSE
field-pipeline = Pipeline
field-closed = Closed
field-rotting = Rotting
cli-weighted = { $amount } ({ $probability } %)
cli-activities = Activities

## salesdesk customer, contact
cli-customer-name-taken = note: another customer is already named '{ $name }'
cli-customer-deleted = Deleted { $name }. Undo with: salesdesk customer restore { $id }
cli-customer-done = { $verb }: { $id } { $name } — { $status }, { $tier } tier.
cli-verb-added = Added
cli-no-customers = No customers.
column-name = NAME
column-status = STATUS
column-last = LAST
column-open = OPEN
column-lifetime = LIFETIME
cli-revisit-due = {" "}— revisit due
field-lifetime = Lifetime
cli-contacts = Contacts
cli-open-deals = Open deals
cli-service-timeline = Service timeline
cli-contact-added = Added contact { $id } { $name }.
cli-no-contacts = No contacts.
column-email = EMAIL
column-phone = PHONE
cli-contact-removed = Removed contact { $id } { $name }.
cli-contact-saved = Saved contact { $id } { $name }.

## salesdesk activity, remind
cli-activity-about = say what it is about: --deal REF or --customer REF
cli-activity-nothing-to-change = nothing to change: give --kind, --subject or --due
cli-activity-deleted = Deleted { $id } '{ $subject }'.
cli-no-activities = No activities.
column-when = WHEN
column-kind = KIND
column-subject = SUBJECT
column-about = ABOUT
column-state = STATE
state-done = done
state-overdue = overdue
state-due = due
cli-activity-due = , due { $when }
cli-activity-done = { $verb }: { $id } { $kind } '{ $subject }' — { $about }{ $when }.
cli-verb-logged = Logged
cli-verb-scheduled = Scheduled
cli-verb-done = Done
cli-remind-nothing-due = Nothing due. No reminders are overdue or due today.
cli-remind-what = { $kind } { $subject } — { $about }
cli-remind-revisit = {" "}({ $tier } tier) — { $last }
cli-remind-more = {"  "}… and { $count } more (salesdesk remind --all, or the Agenda: key 3)

## salesdesk search, demo, backup, config; errors
cli-nothing-matches = Nothing matches '{ $text }'.
column-detail = DETAIL
noun-Deal = Deal
noun-Customer = Customer
noun-Contact = Contact
noun-Activity = Activity
cli-demo-made = Demo data in { $path }: { $customers } customers, { $contacts } contacts, { $deals } deals, { $activities } activities; { $rows } rows with tags and stage history ({ $rate } rows/s).
cli-backing-up = backing up to { $file }
cli-backed-up = Backed up { $from } to { $to }.
cli-config-not-there = {" "}(not there yet: these are the defaults)
cli-no-database = there is no SalesDesk database at { $path }; check the path (--db or SALESDESK_DB). `salesdesk deal add`, `customer add` or `demo` start a new one.
cli-creating-data-dir = creating the data directory { $dir }
cli-opening = opening { $path }
cli-calendar-not-updated = warning: the calendar file was not updated: { $error }
cli-error = error: { $message }

## clap help: clap-<command path> is what it does, clap-<path>-arg-<id> an argument
clap-salesdesk = A terminal CRM: a pipeline board for deals, a customers board for relationships.  With no subcommand SalesDesk opens the full-screen board; with one it does that job and exits, for scripts, cron and shell prompts.
clap-salesdesk-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-salesdesk-arg-json = Print machine-readable JSON instead of tables
clap-salesdesk-arg-demo = Open the TUI on a new temporary database filled with demo data (removed on quit)
clap-deal = Deals: the pipeline
clap-deal-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-arg-json = Print machine-readable JSON instead of tables
clap-deal-add = Add a deal; a new customer name creates a prospect
clap-deal-add-arg-title = What the deal is, e.g. "ACME renewal 2027"; how you name it later
clap-deal-add-arg-customer = Who it sells to: an existing customer's name, short id or id, or a new name, which adds the customer as a prospect
clap-deal-add-arg-amount = e.g. 12500, 12,500.50 or "12500 USD"
clap-deal-add-arg-currency = An ISO 4217 currency code such as EUR, USD or CNY (default: default_currency in the config, or the deal's)
clap-deal-add-arg-stage = The stage to start in (default: the first); a new book's stages: Lead, Qualified, Proposal, Negotiation
clap-deal-add-arg-pipeline = The pipeline to add it to (default: the first); --stage is then one of its stages
clap-deal-add-arg-close = Expected close: YYYY-MM-DD, +2w, tomorrow, next friday
clap-deal-add-arg-source = Where it came from: referral, website, trade fair …
clap-deal-add-arg-notes = Free text kept with the record
clap-deal-add-arg-owner = The team member it is for (their name, short id or id; default: me); a new customer it names is theirs too
clap-deal-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-add-arg-json = Print machine-readable JSON instead of tables
clap-deal-list = List deals
clap-deal-list-arg-stage = Only deals in this stage
clap-deal-list-arg-pipeline = Only deals in this pipeline (its name or id)
clap-deal-list-arg-status = open, won or lost
clap-deal-list-arg-customer = Only this customer's deals (its name, short id or id)
clap-deal-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-list-arg-json = Print machine-readable JSON instead of tables
clap-deal-show = Show one deal with its history and activities
clap-deal-show-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-show-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-show-arg-json = Print machine-readable JSON instead of tables
clap-deal-edit = Change a deal's fields
clap-deal-edit-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-edit-arg-title = The new title
clap-deal-edit-arg-amount = The new amount, e.g. 12500, 12,500.50 or "12500 USD"
clap-deal-edit-arg-currency = An ISO 4217 currency code such as EUR, USD or CNY (default: default_currency in the config, or the deal's)
clap-deal-edit-arg-close = Expected close (or "none" to clear it)
clap-deal-edit-arg-source = Where it came from ("none" clears it)
clap-deal-edit-arg-notes = Free text kept with the deal ("none" clears it)
clap-deal-edit-arg-customer = Give the deal to another customer (its name, short id or id)
clap-deal-edit-arg-owner = Give the deal to another team member (their name, short id or id)
clap-deal-edit-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-edit-arg-json = Print machine-readable JSON instead of tables
clap-deal-move = Move an open deal to a stage; a stage of another pipeline moves it to that pipeline
clap-deal-move-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-move-arg-stage = The stage to move it to (its name, any case)
clap-deal-move-arg-pipeline = The pipeline of that stage, when two pipelines have a stage of that name
clap-deal-move-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-move-arg-json = Print machine-readable JSON instead of tables
clap-deal-win = Mark a deal won
clap-deal-win-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-win-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-win-arg-json = Print machine-readable JSON instead of tables
clap-deal-lose = Mark a deal lost (a reason is required)
clap-deal-lose-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-lose-arg-reason = Why it was lost: price, timing, competitor … (required)
clap-deal-lose-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-lose-arg-json = Print machine-readable JSON instead of tables
clap-deal-reopen = Reopen a won or lost deal
clap-deal-reopen-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-reopen-arg-stage = The stage to reopen it in (default: the one it left from)
clap-deal-reopen-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-reopen-arg-json = Print machine-readable JSON instead of tables
clap-deal-delete = Delete a deal (it can be restored)
clap-deal-delete-arg-reference = The deal: its title (any case), its short id as lists show it, or its full id
clap-deal-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-delete-arg-json = Print machine-readable JSON instead of tables
clap-deal-restore = Restore a deleted deal
clap-deal-restore-arg-reference = The deleted deal: its title, short id or full id
clap-deal-restore-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-deal-restore-arg-json = Print machine-readable JSON instead of tables
clap-deal-help = Print this message or the help of the given subcommand(s)
clap-deal-help-add = Add a deal; a new customer name creates a prospect
clap-deal-help-list = List deals
clap-deal-help-show = Show one deal with its history and activities
clap-deal-help-edit = Change a deal's fields
clap-deal-help-move = Move an open deal to a stage; a stage of another pipeline moves it to that pipeline
clap-deal-help-win = Mark a deal won
clap-deal-help-lose = Mark a deal lost (a reason is required)
clap-deal-help-reopen = Reopen a won or lost deal
clap-deal-help-delete = Delete a deal (it can be restored)
clap-deal-help-restore = Restore a deleted deal
clap-deal-help-help = Print this message or the help of the given subcommand(s)
clap-customer = Customers: the relationships
clap-customer-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-arg-json = Print machine-readable JSON instead of tables
clap-customer-add = Add a customer
clap-customer-add-arg-name = The company's or person's name
clap-customer-add-arg-tier = key, normal or low
clap-customer-add-arg-status = prospect, active, at_risk or churned
clap-customer-add-arg-kind = company or person
clap-customer-add-arg-industry = The industry, e.g. Manufacturing
clap-customer-add-arg-region = The region or territory, e.g. EMEA or 华东
clap-customer-add-arg-website = The website
clap-customer-add-arg-source = Where it came from: referral, website, trade fair …
clap-customer-add-arg-notes = Free text kept with the record
clap-customer-add-arg-owner = The team member who owns it (their name, short id or id; default: me)
clap-customer-add-arg-tags = Add a tag (repeatable)
clap-customer-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-add-arg-json = Print machine-readable JSON instead of tables
clap-customer-list = List customers
clap-customer-list-arg-status = Only customers with this status: prospect, active, at_risk or churned
clap-customer-list-arg-tier = Only customers of this tier: key, normal or low
clap-customer-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-list-arg-json = Print machine-readable JSON instead of tables
clap-customer-show = Show a customer's profile, contacts, deals and history
clap-customer-show-arg-reference = The customer: its name (any case), its short id as lists show it, or its full id
clap-customer-show-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-show-arg-json = Print machine-readable JSON instead of tables
clap-customer-edit = Change a customer's profile
clap-customer-edit-arg-reference = The customer: its name (any case), its short id as lists show it, or its full id
clap-customer-edit-arg-name = The new name
clap-customer-edit-arg-tier = key, normal or low
clap-customer-edit-arg-status = prospect, active, at_risk or churned
clap-customer-edit-arg-kind = company or person
clap-customer-edit-arg-industry = The industry, e.g. Manufacturing
clap-customer-edit-arg-region = The region or territory, e.g. EMEA or 华东
clap-customer-edit-arg-website = The website
clap-customer-edit-arg-source = Where it came from: referral, website, trade fair …
clap-customer-edit-arg-notes = Free text kept with the record
clap-customer-edit-arg-tags = Add a tag (repeatable)
clap-customer-edit-arg-satisfaction = Satisfaction 1–5
clap-customer-edit-arg-owner = Give the customer to another team member (their name, short id or id); in a team in PostgreSQL, the customer and its deals then sync to them
clap-customer-edit-arg-untag = Remove a tag (repeatable)
clap-customer-edit-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-edit-arg-json = Print machine-readable JSON instead of tables
clap-customer-delete = Delete a customer (it can be restored)
clap-customer-delete-arg-reference = The customer: its name (any case), its short id as lists show it, or its full id
clap-customer-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-delete-arg-json = Print machine-readable JSON instead of tables
clap-customer-restore = Restore a deleted customer
clap-customer-restore-arg-reference = The deleted customer: its name, short id or full id
clap-customer-restore-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-customer-restore-arg-json = Print machine-readable JSON instead of tables
clap-customer-help = Print this message or the help of the given subcommand(s)
clap-customer-help-add = Add a customer
clap-customer-help-list = List customers
clap-customer-help-show = Show a customer's profile, contacts, deals and history
clap-customer-help-edit = Change a customer's profile
clap-customer-help-delete = Delete a customer (it can be restored)
clap-customer-help-restore = Restore a deleted customer
clap-customer-help-help = Print this message or the help of the given subcommand(s)
clap-pipeline = Pipelines: a sales process each, with its own stages
clap-pipeline-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-pipeline-arg-json = Print machine-readable JSON instead of tables
clap-pipeline-list = List the pipelines with their stages and open deals
clap-pipeline-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-pipeline-list-arg-json = Print machine-readable JSON instead of tables
clap-pipeline-add = Add a pipeline, with the default stages to rename, reorder or delete
clap-pipeline-add-arg-name = The new pipeline's name, e.g. Renewals
clap-pipeline-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-pipeline-add-arg-json = Print machine-readable JSON instead of tables
clap-pipeline-rename = Rename a pipeline
clap-pipeline-rename-arg-pipeline = The pipeline: its name (any case) or id
clap-pipeline-rename-arg-new-name = Its new name
clap-pipeline-rename-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-pipeline-rename-arg-json = Print machine-readable JSON instead of tables
clap-pipeline-delete = Delete a pipeline with its stages; one that holds open deals needs --move-to
clap-pipeline-delete-arg-pipeline = The pipeline: its name (any case) or id
clap-pipeline-delete-arg-move-to = The pipeline its open deals go to, each into the stage of the same name there, else its first stage
clap-pipeline-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-pipeline-delete-arg-json = Print machine-readable JSON instead of tables
clap-pipeline-help = Print this message or the help of the given subcommand(s)
clap-pipeline-help-list = List the pipelines with their stages and open deals
clap-pipeline-help-add = Add a pipeline, with the default stages to rename, reorder or delete
clap-pipeline-help-rename = Rename a pipeline
clap-pipeline-help-delete = Delete a pipeline with its stages; one that holds open deals needs --move-to
clap-pipeline-help-help = Print this message or the help of the given subcommand(s)
clap-stage = The stages of a pipeline: its board's columns
clap-stage-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-stage-arg-json = Print machine-readable JSON instead of tables
clap-stage-list = List the stages, pipeline by pipeline, in board order
clap-stage-list-arg-pipeline = Only this pipeline's stages
clap-stage-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-stage-list-arg-json = Print machine-readable JSON instead of tables
clap-stage-add = Add a stage to a pipeline
clap-stage-add-arg-name = The new stage's name, unique in its pipeline, e.g. Demo
clap-stage-add-arg-pipeline = The pipeline to add it to (needed when the book has more than one)
clap-stage-add-arg-probability = The chance that a deal in this stage is won, in percent (0 to 100); it weighs the pipeline
clap-stage-add-arg-rot-days = Days without activity after which an open deal here is flagged as rotting (0 to 36500)
clap-stage-add-arg-after = The stage it comes after (default: it comes last)
clap-stage-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-stage-add-arg-json = Print machine-readable JSON instead of tables
clap-stage-edit = Change a stage: its name, probability, rotting days or place on the board
clap-stage-edit-arg-stage = The stage: its name (any case) or id
clap-stage-edit-arg-pipeline = The pipeline the stage is in (needed when two pipelines have a stage of that name)
clap-stage-edit-arg-name = Its new name
clap-stage-edit-arg-probability = The chance that a deal in this stage is won, in percent (0 to 100); it weighs the pipeline
clap-stage-edit-arg-rot-days = Days without activity after which an open deal here is flagged as rotting (0 to 36500)
clap-stage-edit-arg-position = Its place on the board, from 1 (the first column)
clap-stage-edit-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-stage-edit-arg-json = Print machine-readable JSON instead of tables
clap-stage-delete = Delete a stage; one that holds open deals needs --move-to
clap-stage-delete-arg-stage = The stage: its name (any case) or id
clap-stage-delete-arg-pipeline = The pipeline the stage is in (needed when two pipelines have a stage of that name)
clap-stage-delete-arg-move-to = The stage of the same pipeline its open deals go to (each gets a history row)
clap-stage-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-stage-delete-arg-json = Print machine-readable JSON instead of tables
clap-stage-help = Print this message or the help of the given subcommand(s)
clap-stage-help-list = List the stages, pipeline by pipeline, in board order
clap-stage-help-add = Add a stage to a pipeline
clap-stage-help-edit = Change a stage: its name, probability, rotting days or place on the board
clap-stage-help-delete = Delete a stage; one that holds open deals needs --move-to
clap-stage-help-help = Print this message or the help of the given subcommand(s)
clap-reason = The lost reasons the team keeps in the book (the lost picker offers them)
clap-reason-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-reason-arg-json = Print machine-readable JSON instead of tables
clap-reason-list = List the entries, in the order they were added
clap-reason-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-reason-list-arg-json = Print machine-readable JSON instead of tables
clap-reason-add = Add an entry
clap-reason-add-arg-name = The entry, e.g. "price" or "trade fair"
clap-reason-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-reason-add-arg-json = Print machine-readable JSON instead of tables
clap-reason-delete = Remove an entry (deals that name it keep their text)
clap-reason-delete-arg-name = The entry, in any case
clap-reason-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-reason-delete-arg-json = Print machine-readable JSON instead of tables
clap-reason-help = Print this message or the help of the given subcommand(s)
clap-reason-help-list = List the entries, in the order they were added
clap-reason-help-add = Add an entry
clap-reason-help-delete = Remove an entry (deals that name it keep their text)
clap-reason-help-help = Print this message or the help of the given subcommand(s)
clap-source = The deal sources the team keeps in the book (deal forms suggest them)
clap-source-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-source-arg-json = Print machine-readable JSON instead of tables
clap-source-list = List the entries, in the order they were added
clap-source-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-source-list-arg-json = Print machine-readable JSON instead of tables
clap-source-add = Add an entry
clap-source-add-arg-name = The entry, e.g. "price" or "trade fair"
clap-source-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-source-add-arg-json = Print machine-readable JSON instead of tables
clap-source-delete = Remove an entry (deals that name it keep their text)
clap-source-delete-arg-name = The entry, in any case
clap-source-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-source-delete-arg-json = Print machine-readable JSON instead of tables
clap-source-help = Print this message or the help of the given subcommand(s)
clap-source-help-list = List the entries, in the order they were added
clap-source-help-add = Add an entry
clap-source-help-delete = Remove an entry (deals that name it keep their text)
clap-source-help-help = Print this message or the help of the given subcommand(s)
clap-contact = The people at a customer
clap-contact-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-contact-arg-json = Print machine-readable JSON instead of tables
clap-contact-add = Add a contact to a customer
clap-contact-add-arg-customer = The customer: its name (any case), its short id as lists show it, or its full id
clap-contact-add-arg-name = The person's name
clap-contact-add-arg-title = Their job title, e.g. Purchasing manager
clap-contact-add-arg-email = Their email address
clap-contact-add-arg-phone = Their phone number
clap-contact-add-arg-primary = Make this the primary contact
clap-contact-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-contact-add-arg-json = Print machine-readable JSON instead of tables
clap-contact-list = List a customer's contacts
clap-contact-list-arg-customer = The customer: its name (any case), its short id as lists show it, or its full id
clap-contact-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-contact-list-arg-json = Print machine-readable JSON instead of tables
clap-contact-delete = Remove a contact
clap-contact-delete-arg-reference = The contact: its short id, full id or unique name
clap-contact-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-contact-delete-arg-json = Print machine-readable JSON instead of tables
clap-contact-edit = Change a contact
clap-contact-edit-arg-reference = The contact: its short id, full id or unique name
clap-contact-edit-arg-name = The new name
clap-contact-edit-arg-title = The new job title ("none" clears it)
clap-contact-edit-arg-email = The new email address ("none" clears it)
clap-contact-edit-arg-phone = The new phone number ("none" clears it)
clap-contact-edit-arg-primary = Make this the primary contact
clap-contact-edit-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-contact-edit-arg-json = Print machine-readable JSON instead of tables
clap-contact-help = Print this message or the help of the given subcommand(s)
clap-contact-help-add = Add a contact to a customer
clap-contact-help-list = List a customer's contacts
clap-contact-help-delete = Remove a contact
clap-contact-help-edit = Change a contact
clap-contact-help-help = Print this message or the help of the given subcommand(s)
clap-activity = Calls, emails, meetings, visits, notes — logged or scheduled
clap-activity-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-arg-json = Print machine-readable JSON instead of tables
clap-activity-log = Log something that happened
clap-activity-log-arg-deal = The deal it is about (its title, short id or id)
clap-activity-log-arg-customer = The customer it is about (its name, short id or id)
clap-activity-log-arg-kind = call, email, meeting, visit, task, note, complaint or service
clap-activity-log-arg-subject = What it was, in a line: "Called Li Wei about the quote"
clap-activity-log-arg-body = The details: what was said, agreed, promised
clap-activity-log-arg-at = When it happened, if not just now: "yesterday 15:00", "2026-11-27 10:00", -2h
clap-activity-log-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-log-arg-json = Print machine-readable JSON instead of tables
clap-activity-schedule = Schedule a reminder
clap-activity-schedule-arg-deal = The deal it is about (its title, short id or id)
clap-activity-schedule-arg-customer = The customer it is about (its name, short id or id)
clap-activity-schedule-arg-due = RFC 3339, "YYYY-MM-DD HH:MM", "HH:MM", "tomorrow 09:00", "mon 9:00", +2h, +3d, +1w
clap-activity-schedule-arg-kind = call, email, meeting, visit, task, note, complaint or service
clap-activity-schedule-arg-subject = What to do, in a line: "Send the revised quote"
clap-activity-schedule-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-schedule-arg-json = Print machine-readable JSON instead of tables
clap-activity-done = Mark a reminder done
clap-activity-done-arg-reference = The reminder: its short id (as `activity list` and `remind` show it) or full id
clap-activity-done-arg-outcome = What came of it, kept with the activity
clap-activity-done-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-done-arg-json = Print machine-readable JSON instead of tables
clap-activity-edit = Change an activity's kind, subject or due time
clap-activity-edit-arg-reference = The activity: its short id (as lists show it) or full id
clap-activity-edit-arg-kind = call, email, meeting, visit, task, note, complaint or service
clap-activity-edit-arg-subject = The new subject
clap-activity-edit-arg-due = When a reminder is due (as for `schedule`)
clap-activity-edit-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-edit-arg-json = Print machine-readable JSON instead of tables
clap-activity-delete = Delete an activity or reminder (it can be restored by undo in the TUI)
clap-activity-delete-arg-reference = The activity: its short id or full id
clap-activity-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-delete-arg-json = Print machine-readable JSON instead of tables
clap-activity-list = List activities (newest first)
clap-activity-list-arg-deal = Only this deal's activities (its title, short id or id)
clap-activity-list-arg-customer = Only this customer's activities (its name, short id or id)
clap-activity-list-arg-open = Only open reminders
clap-activity-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-activity-list-arg-json = Print machine-readable JSON instead of tables
clap-activity-help = Print this message or the help of the given subcommand(s)
clap-activity-help-log = Log something that happened
clap-activity-help-schedule = Schedule a reminder
clap-activity-help-done = Mark a reminder done
clap-activity-help-edit = Change an activity's kind, subject or due time
clap-activity-help-delete = Delete an activity or reminder (it can be restored by undo in the TUI)
clap-activity-help-list = List activities (newest first)
clap-activity-help-help = Print this message or the help of the given subcommand(s)
clap-remind = Overdue and today's reminders, and customers due a revisit. Exits 1 when anything is overdue
clap-remind-arg-count = Print only how many reminders are overdue or due today (for a shell prompt)
clap-remind-arg-format = Print one line from a template: `{"{"}overdue{"}"}` and `{"{"}today{"}"}` are replaced by the counts, e.g. --format '{"{"}overdue{"}"} {"{"}today{"}"}' (for a tmux status line)
clap-remind-arg-all = List every reminder and revisit, not only the first ten of each
clap-remind-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-remind-arg-json = Print machine-readable JSON instead of tables
clap-search = Search deals, customers, contacts and activities
clap-search-arg-text = What to look for (any text; quotes and operators are taken literally)
clap-search-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-search-arg-json = Print machine-readable JSON instead of tables
clap-report = Pipeline and customer figures for a period: win rate, cycle, funnel, forecast, churn
clap-report-arg-period = month, quarter, year or all (this month, quarter or year, in local time), or a particular one: 2026-10 (a month), 2026-Q3 (a quarter), 2026 (a year)
clap-report-arg-pipeline = Only the deals of this pipeline (its name or id); customer figures stay the whole book's. Default: every pipeline, each with its own stage conversion
clap-report-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-report-arg-json = Print machine-readable JSON instead of tables
clap-demo = Fill a new database with demo data
clap-demo-arg-scale = Generate N deals (with N/5 customers and 2N activities) instead of the small demo
clap-demo-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-demo-arg-json = Print machine-readable JSON instead of tables
clap-backup = Copy the database to FILE (safe while SalesDesk is running)
clap-backup-arg-file = Where to write the copy; it must not exist yet
clap-backup-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-backup-arg-json = Print machine-readable JSON instead of tables
clap-config = Show where the config is, or what it says
clap-config-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-config-arg-json = Print machine-readable JSON instead of tables
clap-config-path = Print the config file's path
clap-config-path-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-config-path-arg-json = Print machine-readable JSON instead of tables
clap-config-show = Print the settings in force
clap-config-show-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-config-show-arg-json = Print machine-readable JSON instead of tables
clap-config-help = Print this message or the help of the given subcommand(s)
clap-config-help-path = Print the config file's path
clap-config-help-show = Print the settings in force
clap-config-help-help = Print this message or the help of the given subcommand(s)
clap-team = Share the data with a team through a team file in a synced folder
clap-team-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-arg-json = Print machine-readable JSON instead of tables
clap-team-init = Make a team file (PATH ending in .salesdesk, e.g. in a Dropbox or Syncthing folder) or a team in a PostgreSQL database (postgres://USER@HOST/DB) from this database, and link to it
clap-team-init-arg-path = Where to make the team file, e.g. ~/Dropbox/sales/team.salesdesk, or the database's URL, without a password (PGPASSWORD or ~/.pgpass gives it)
clap-team-init-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-init-arg-json = Print machine-readable JSON instead of tables
clap-team-join = Link this database to the team file or PostgreSQL team a teammate made, and sync
clap-team-join-arg-path = The team file, once the sync service has brought it, or the database's URL
clap-team-join-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-join-arg-json = Print machine-readable JSON instead of tables
clap-team-status = Show the team file, the last sync, the members and any pending conflicts
clap-team-status-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-status-arg-json = Print machine-readable JSON instead of tables
clap-team-leave = Stop syncing; the team file and all data stay where they are
clap-team-leave-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-leave-arg-json = Print machine-readable JSON instead of tables
clap-team-conflicts = List your values that a teammate's change replaced
clap-team-conflicts-arg-all = Also list the resolved ones
clap-team-conflicts-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-conflicts-arg-json = Print machine-readable JSON instead of tables
clap-team-resolve = Resolve a conflict: keep their value, or restore yours
clap-team-resolve-arg-id = The conflict's number, as `team conflicts` shows it
clap-team-resolve-arg-keep = theirs: keep the teammate's value (already in place); mine: write yours back
clap-team-resolve-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-resolve-arg-json = Print machine-readable JSON instead of tables
clap-team-help = Print this message or the help of the given subcommand(s)
clap-team-help-init = Make a team file (PATH ending in .salesdesk, e.g. in a Dropbox or Syncthing folder) from this database, and link to it
clap-team-help-join = Link this database to the team file a teammate made, and sync
clap-team-help-status = Show the team file, the last sync, the members and any pending conflicts
clap-team-help-leave = Stop syncing; the team file and all data stay where they are
clap-team-help-conflicts = List your values that a teammate's change replaced
clap-team-help-resolve = Resolve a conflict: keep their value, or restore yours
clap-team-help-help = Print this message or the help of the given subcommand(s)
clap-sync = Sync with the team file now: merge teammates' changes in, write the result back
clap-sync-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-sync-arg-json = Print machine-readable JSON instead of tables
clap-import = Bring a book in: deals, customers, contacts or activities from CSV, Excel or vCard (exports of Pipedrive, HubSpot and Salesforce are recognised)
clap-import-arg-what = What the file holds
clap-import-arg-file = A .csv (comma, semicolon or tab; UTF-8, GBK or Windows-1252), an .xlsx workbook (first sheet), or a .vcf of contacts
clap-import-arg-format = Whose export the file is
clap-import-arg-map = A TOML map: [columns] field = "column", [stages] "value" = "stage" / "won" / "lost", [defaults] currency, customer, date_format, stage
clap-import-arg-dry-run = Show what would be created, updated and refused; write nothing
clap-import-arg-on-error = What a bad row does: stop (nothing is written) or skip (the rest is written)
clap-import-arg-encoding = The text encoding of a CSV file (utf-8, gbk, gb18030, windows-1252 …); detected when not given
clap-import-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-import-arg-json = Print machine-readable JSON instead of tables
clap-export = Take the book out: CSV (opens in Excel), JSON, Excel, vCard contacts or a calendar of follow-ups
clap-export-arg-what = What to write
clap-export-arg-format = csv, json or xlsx (default: from the -o file's extension, else csv)
clap-export-arg-output = The file to write (default: standard output; an .xlsx needs a file)
clap-export-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-export-arg-json = Print machine-readable JSON instead of tables
clap-completions = Print the script that makes a shell complete SalesDesk's subcommands, options, deal titles, customer names and stages
clap-completions-arg-shell = The shell to complete in
clap-completions-arg-fixed = Print a fixed script made from the command definitions (subcommands and options only, never running salesdesk), instead of the one that asks salesdesk on each Tab and so also completes names from the database
clap-completions-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-completions-arg-json = Print machine-readable JSON instead of tables
clap-man = Print the manual page (roff), or a subcommand's, or write them all to a directory
clap-man-arg-subcommand = A subcommand as you would run it (`deal add`), or its page name (`deal-add`); none for the main page
clap-man-arg-dir = Write every page (salesdesk.1, salesdesk-deal.1, salesdesk-deal-add.1 …) into DIR instead, e.g. a package's share/man/man1
clap-man-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-man-arg-json = Print machine-readable JSON instead of tables
clap-help = Print this message or the help of the given subcommand(s)
clap-help-deal = Deals: the pipeline
clap-help-deal-add = Add a deal; a new customer name creates a prospect
clap-help-deal-list = List deals
clap-help-deal-show = Show one deal with its history and activities
clap-help-deal-edit = Change a deal's fields
clap-help-deal-move = Move an open deal to a stage; a stage of another pipeline moves it to that pipeline
clap-help-deal-win = Mark a deal won
clap-help-deal-lose = Mark a deal lost (a reason is required)
clap-help-deal-reopen = Reopen a won or lost deal
clap-help-deal-delete = Delete a deal (it can be restored)
clap-help-deal-restore = Restore a deleted deal
clap-help-customer = Customers: the relationships
clap-help-customer-add = Add a customer
clap-help-customer-list = List customers
clap-help-customer-show = Show a customer's profile, contacts, deals and history
clap-help-customer-edit = Change a customer's profile
clap-help-customer-delete = Delete a customer (it can be restored)
clap-help-customer-restore = Restore a deleted customer
clap-help-pipeline = Pipelines: a sales process each, with its own stages
clap-help-pipeline-list = List the pipelines with their stages and open deals
clap-help-pipeline-add = Add a pipeline, with the default stages to rename, reorder or delete
clap-help-pipeline-rename = Rename a pipeline
clap-help-pipeline-delete = Delete a pipeline with its stages; one that holds open deals needs --move-to
clap-help-stage = The stages of a pipeline: its board's columns
clap-help-stage-list = List the stages, pipeline by pipeline, in board order
clap-help-stage-add = Add a stage to a pipeline
clap-help-stage-edit = Change a stage: its name, probability, rotting days or place on the board
clap-help-stage-delete = Delete a stage; one that holds open deals needs --move-to
clap-help-reason = The lost reasons the team keeps in the book (the lost picker offers them)
clap-help-reason-list = List the entries, in the order they were added
clap-help-reason-add = Add an entry
clap-help-reason-delete = Remove an entry (deals that name it keep their text)
clap-help-source = The deal sources the team keeps in the book (deal forms suggest them)
clap-help-source-list = List the entries, in the order they were added
clap-help-source-add = Add an entry
clap-help-source-delete = Remove an entry (deals that name it keep their text)
clap-help-contact = The people at a customer
clap-help-contact-add = Add a contact to a customer
clap-help-contact-list = List a customer's contacts
clap-help-contact-delete = Remove a contact
clap-help-contact-edit = Change a contact
clap-help-activity = Calls, emails, meetings, visits, notes — logged or scheduled
clap-help-activity-log = Log something that happened
clap-help-activity-schedule = Schedule a reminder
clap-help-activity-done = Mark a reminder done
clap-help-activity-edit = Change an activity's kind, subject or due time
clap-help-activity-delete = Delete an activity or reminder (it can be restored by undo in the TUI)
clap-help-activity-list = List activities (newest first)
clap-help-remind = Overdue and today's reminders, and customers due a revisit. Exits 1 when anything is overdue
clap-help-search = Search deals, customers, contacts and activities
clap-help-report = Pipeline and customer figures for a period: win rate, cycle, funnel, forecast, churn
clap-help-demo = Fill a new database with demo data
clap-help-backup = Copy the database to FILE (safe while SalesDesk is running)
clap-help-config = Show where the config is, or what it says
clap-help-config-path = Print the config file's path
clap-help-config-show = Print the settings in force
clap-help-team = Share the data with a team through a team file in a synced folder
clap-help-team-init = Make a team file (PATH ending in .salesdesk, e.g. in a Dropbox or Syncthing folder) from this database, and link to it
clap-help-team-join = Link this database to the team file a teammate made, and sync
clap-help-team-status = Show the team file, the last sync, the members and any pending conflicts
clap-help-team-leave = Stop syncing; the team file and all data stay where they are
clap-help-team-conflicts = List your values that a teammate's change replaced
clap-help-team-resolve = Resolve a conflict: keep their value, or restore yours
clap-help-sync = Sync with the team file now: merge teammates' changes in, write the result back
clap-help-import = Bring a book in: deals, customers, contacts or activities from CSV, Excel or vCard (exports of Pipedrive, HubSpot and Salesforce are recognised)
clap-help-export = Take the book out: CSV (opens in Excel), JSON, Excel, vCard contacts or a calendar of follow-ups
clap-help-completions = Print the script that makes a shell complete SalesDesk's subcommands, options, deal titles, customer names and stages
clap-help-man = Print the manual page (roff), or a subcommand's, or write them all to a directory
clap-help-help = Print this message or the help of the given subcommand(s)
clap-arg-help = Print help
clap-arg-version = Print version
clap-examples = Examples:
clap-example = Example:
clap-heading-options = Options
clap-heading-arguments = Arguments
clap-heading-commands = Commands
clap-value-command = COMMAND
clap-usage-heading = Usage:
form-hint-filter-with-custom-fields = name, tag, industry, region or a custom field; empty shows all
settings-title = {" "}Pipelines, stages and fields{" "}
settings-intro-fields = Each pipeline is a board; its stages are the columns. Fields: a adds one.
said-now-in-pipeline = {" "}It is now in the { $name } pipeline ({ $key } shows it).

## clap help of custom fields (#15)
clap-deal-add-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-deal-list-arg-where = Only records whose custom field NAME holds VALUE (repeatable; all must hold)
clap-deal-edit-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-customer-add-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-customer-list-arg-where = Only records whose custom field NAME holds VALUE (repeatable; all must hold)
clap-customer-edit-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-field = Custom fields: the book's own fields on deals, customers and contacts
clap-field-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-field-arg-json = Print machine-readable JSON instead of tables
clap-field-list = List the custom fields, of one kind of record or of all
clap-field-list-arg-entity = deal, customer or contact (default: all three)
clap-field-list-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-field-list-arg-json = Print machine-readable JSON instead of tables
clap-field-add = Add a custom field
clap-field-add-arg-entity = deal, customer or contact: the records that get the field
clap-field-add-arg-name = The field's name, e.g. Budget or "Contract date" (unique among the entity's fields)
clap-field-add-arg-kind = text, number, money, date, yes/no, choice or multi-choice
clap-field-add-arg-choices = The choices of a choice or multi-choice field, comma-separated: small,medium,large
clap-field-add-arg-required = Every new record must be given a value, and none may be cleared
clap-field-add-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-field-add-arg-json = Print machine-readable JSON instead of tables
clap-field-delete = Delete a custom field (values stay in the book; adding it again brings them back)
clap-field-delete-arg-entity = deal, customer or contact
clap-field-delete-arg-name = The field's name, in any case
clap-field-delete-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-field-delete-arg-json = Print machine-readable JSON instead of tables
clap-field-help = Print this message or the help of the given subcommand(s)
clap-field-help-list = List the custom fields, of one kind of record or of all
clap-field-help-add = Add a custom field
clap-field-help-delete = Delete a custom field (values stay in the book; adding it again brings them back)
clap-field-help-help = Print this message or the help of the given subcommand(s)
clap-contact-add-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-contact-list-arg-where = Only records whose custom field NAME holds VALUE (repeatable; all must hold)
clap-contact-edit-arg-set = A custom field's value, NAME=VALUE (repeatable; an empty VALUE clears it)
clap-help-field = Custom fields: the book's own fields on deals, customers and contacts
clap-help-field-list = List the custom fields, of one kind of record or of all
clap-help-field-add = Add a custom field
clap-help-field-delete = Delete a custom field (values stay in the book; adding it again brings them back)

## Custom fields (#15)
field-kind-required = { $kind }, required
cli-field-added = Added the { $entity } field { $name } ({ $kind }).
cli-field-deleted = Deleted the { $entity } field { $name }; its values stay and come back if it is added again.
cli-no-fields = No custom fields yet. Add one with: salesdesk field add deal|customer|contact NAME --type TYPE
column-for = FOR
column-type = TYPE
column-required = REQUIRED
column-choices = CHOICES
yes = yes
form-title-add-field = Add a { $entity } field
form-label-type = Type
form-label-choices = Choices
form-label-required = Required
form-hint-choose = ←/→ choose
form-hint-choices = for choice and multi-choice: comma-separated, e.g. small,medium,large
form-hint-required = yes: every new record must be given a value
settings-field-keeps-type = A field keeps its type and choices: delete it and add it again (a field added again with the same type gets its values back).
said-field-deleted = Deleted the { $entity } field { $name }; its values come back if it is added again.
confirm-delete-field-title = Delete field
confirm-delete-field = Delete the { $entity } field { $name }? Its values stay hidden in the book.
settings-deal-fields = Deal fields
settings-customer-fields = Customer fields
settings-contact-fields = Contact fields
form-hint-required-prefix = required;{" "}
form-hint-custom-choice = { $name }{ $required }←/→ choose
form-hint-custom-multi = { $name }: { $required }comma-separated, of { $choices }
form-hint-custom-number = a number, e.g. 12.5
form-hint-custom-money = an amount, e.g. 12,500.50 or 12500 USD
form-hint-custom-text = text
form-hint-custom = { $name }: { $required }{ $example }
form-error-required = required: give it a value

## salesdesk pipeline, stage, reason, source
column-pipeline-title = Pipeline
column-open-title = Open
column-stages-title = Stages
column-stage-title = Stage
cli-pipeline-added = Added the pipeline { $name } with the stages { $stages }; shape them with `salesdesk stage`.
cli-pipeline-renamed = Renamed the pipeline { $from } to { $to }.
cli-several-pipelines = the book has several pipelines ({ $names }); say which with --pipeline
cli-stage-done = { $verb } the stage { $stage } of { $pipeline }: column { $column }, { $probability } %, rotting after { $days } days.
cli-stage-deleted-moved = Deleted the stage { $stage } of { $pipeline }; its { $count } open deal(s) went to { $target }.
cli-stage-deleted = Deleted the stage { $stage } of { $pipeline }.
cli-list-empty = No { $list }s in the book yet.
cli-list-added = Added the { $list } { $name }.
cli-list-removed = Removed the { $list } { $name }.
cli-pipeline-deleted-moved = Deleted the pipeline { $name }; its { $count } open deal(s) went to { $target }.

## Use cases' refusals
error-nothing-to-change = nothing to change
error-activity-needs-subject = an activity needs a subject
error-field-value = { $entity } field '{ $name }': { $why }
error-field-twice = it is given twice
error-field-give-value = give a value to match
error-field-required = it is required; give it a value
error-field-cannot-clear = it is required and cannot be cleared

## salesdesk import, export
list-separator = ,{" "}
cli-import-read =
    Read { $count } { $count ->
        [one] row
       *[other] rows
    } of { $what } ({ $described }).
cli-import-refused = Nothing imported: { $count } bad row(s). Fix them, or import the rest with --on-error skip.
cli-import-created =
    { $count } { $dry ->
        [yes] would be created
       *[no] created
    }
cli-import-updated =
    { $count } { $dry ->
        [yes] would be updated
       *[no] updated
    }
cli-import-skipped = { $count } skipped
cli-import-summary =
    { $dry ->
        [yes] Dry run, nothing written: { $parts }.
       *[no] { $parts }.
    }
cli-import-new-customers =
    { $count } new customer(s) { $dry ->
        [yes] would be added
       *[no] added
    }.
cli-import-new-members =
    { $count } new team member(s) { $dry ->
        [yes] would be added
       *[no] added
    } as owners.
cli-import-closed-at-creation =
    { $count } won or lost deal(s) gave no close time and { $dry ->
        [yes] would be
       *[no] were
    } closed at their creation time.
cli-import-unread =
    Not imported: { $columns } (no field reads { $count ->
        [one] it
       *[other] them
    }{ $record ->
        [none] ).
       *[other] ; an import fills a custom field named as a column: `salesdesk field add { $record } NAME`).
    }
cli-import-more = { $count } more
cli-export-xlsx-needs-file = an Excel workbook is a file: give it a name with -o FILE.xlsx
cli-export-wrote-rows = Wrote { $count } { $what } to { $path }.
cli-export-wrote = Wrote { $path }.
noun-deals = deals
noun-customers = customers
noun-contacts = contacts
noun-activities = activities

## Sync conflicts as people read them
conflict-record = { $kind } { $name }
conflict-site = site { $site }
conflict-not-deleted = not deleted
conflict-deleted-at = deleted { $when }
conflict-empty = (empty)
conflict-refused-theirs = not shared: the team database refused it
conflict-refused-who = the team database
conflict-refused-owner = the team database did not accept it: { $owner } owns this record
conflict-refused-rights = the team database does not let your login change this record
noun-amount = amount
noun-owner = owner
noun-deleted = deleted
noun-closed = closed
noun-expected-close = expected close
noun-lost-reason = lost reason
noun-title = title
noun-name = name
noun-notes = notes
noun-source = source
noun-status = status
noun-industry = industry
noun-region = region
noun-website = website
noun-satisfaction = satisfaction
noun-phone = phone
noun-email = email
noun-subject = subject
noun-body = body
noun-outcome = outcome
noun-probability = probability
noun-position = position
noun-record = record

## Undo labels ("Undone: …")
undo-edit = edit { $name }
undo-delete = delete { $name }
undo-add-contact = add contact { $name }
undo-edit-contact = edit contact { $name }
undo-add-customer = add customer { $name }
undo-delete-customer = delete customer { $name }
undo-restore-customer = restore customer { $name }
undo-add = add { $name }
undo-move = move { $name } to { $stage }
undo-win = win { $name }
undo-lose = lose { $name }
undo-reopen = reopen { $name }
undo-restore = restore { $name }
undo-add-stage = add stage { $name } to { $pipeline }
undo-edit-stage = edit stage { $name }
undo-delete-stage-moving = delete stage { $name } (deals to { $target })
undo-delete-stage = delete stage { $name }
undo-add-pipeline = add pipeline { $name }
undo-move-pipeline = move pipeline { $name }
undo-delete-pipeline-moving = delete pipeline { $name } (deals to { $target })
undo-restore-mine = restore my { $field } of { $what }

## Import: a row that cannot be imported
import-row-error-at = line { $line }, column '{ $column }': { $message }
import-row-error = line { $line }: { $message }
import-is-empty = { $what } is empty
import-the-title = the title
import-the-name = the name
import-the-subject = the subject
import-no-customer = no customer; give one, or a default customer in the map's [defaults]
import-default-currency = the map's default currency: { $error }
import-currency-mismatch = '{ $text }' is in { $said } but the currency column says { $currency }
import-closed-before-created = the deal closed before it was created
import-no-stages = the book has no stages
import-stage-unmapped = stage '{ $value }' has no mapping ({ $error }); map it in the map's [stages], e.g. "{ $value }" = "{ $first }"
import-not-satisfaction = '{ $text }' is not a whole number from 1 to 5
import-no-company = no company; a contact belongs to a customer (or give a default customer in the map's [defaults])
import-activity-about-nothing = an activity is about a deal or a customer; the row names neither
import-bad-status = status '{ $text }' is not open, won or lost
import-no-pipeline = no pipeline named '{ $name }' (the book has: { $pipelines })
import-history-line = stage history, line { $line }: { $why }
import-history-shape = '{ $text }' is not a time, a status and a stage, like 2026-11-30 14:30:00 open Proposal
import-history-too-long = more than { $max } steps
import-not-a-date-in-format = '{ $text }' is not a date in the map's date_format '{ $format }'
import-not-an-iso-date = '{ $text }' is not an ISO date like 2026-11-30 or 2026-11-30 14:30; set date_format in the map's [defaults] for other forms

## Config errors
config-cadence-range = cadence.{ $tier } = { $days } is out of range; use 1 to 3650 days
config-empty-lost-reason = lost_reasons has an empty entry
config-reading = reading config { $path }
config-at = line { $line }, column { $column }: { $what }

## Import: reading the file
import-xls = { $name } is an old Excel .xls workbook; save it as .xlsx or CSV
import-unknown-encoding = unknown encoding '{ $label }'; try utf-8, gbk, gb18030 or windows-1252
import-binary = { $name } holds binary data; it is not a CSV or Excel file
import-bad-text = is not valid text in the detected encoding; give it with --encoding (gbk, windows-1252 …)
import-file-is-empty = the file is empty
import-cannot-open = cannot open { $name }: { $error }
import-cannot-read = cannot read { $name }: { $error }
import-no-header = { $name } has no header row
import-cannot-be-read = cannot be read: { $error }
import-header-twice = the header names column '{ $column }' twice
status-offline = offline since { $since }

## clap help of the PostgreSQL team hub (#20)
clap-team-move-to = Move the team from its team file to a PostgreSQL database: syncs the file, makes the team there from everything, and links to it. Teammates then `team join` it
clap-team-move-to-arg-url = The database's URL, postgres://USER@HOST/DB (the password in PGPASSWORD or ~/.pgpass)
clap-team-move-to-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-move-to-arg-json = Print machine-readable JSON instead of tables
clap-team-add-member = Add a member to a team in PostgreSQL: makes their login (an admin's job)
clap-team-add-member-arg-name = Their PostgreSQL login name, e.g. wei
clap-team-add-member-arg-role = rep: their own customers and deals; manager: everything; admin: also members
clap-team-add-member-arg-password-file = A file holding their password (else one is made and printed once)
clap-team-add-member-arg-member = The teammate they already are (name or id, as `team status` lists members): needed for those who synced through the team file before `team move-to`
clap-team-add-member-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-add-member-arg-json = Print machine-readable JSON instead of tables
clap-team-role = Change what a member of a team in PostgreSQL may see and do
clap-team-role-arg-name = Their PostgreSQL login name
clap-team-role-arg-role = rep: their own customers and deals; manager: everything; admin: also members
clap-team-role-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-role-arg-json = Print machine-readable JSON instead of tables
clap-team-remove-member = Remove a member from a team in PostgreSQL: their login can no longer sync
clap-team-remove-member-arg-name = Their PostgreSQL login name
clap-team-remove-member-arg-db = The database file (else $SALESDESK_DB, else the data directory)
clap-team-remove-member-arg-json = Print machine-readable JSON instead of tables
clap-team-help-move-to = Move the team from its team file to a PostgreSQL database: syncs the file, makes the team there from everything, and links to it. Teammates then `team join` it
clap-team-help-add-member = Add a member to a team in PostgreSQL: makes their login (an admin's job)
clap-team-help-role = Change what a member of a team in PostgreSQL may see and do
clap-team-help-remove-member = Remove a member from a team in PostgreSQL: their login can no longer sync
clap-help-team-move-to = Move the team from its team file to a PostgreSQL database: syncs the file, makes the team there from everything, and links to it. Teammates then `team join` it
clap-help-team-add-member = Add a member to a team in PostgreSQL: makes their login (an admin's job)
clap-help-team-role = Change what a member of a team in PostgreSQL may see and do
clap-help-team-remove-member = Remove a member from a team in PostgreSQL: their login can no longer sync

## salesdesk team status
team-not-linked = Not linked to a team file. Make one with `salesdesk team init PATH` (PATH in a synced folder, ending in .salesdesk), or use your team's with `salesdesk team join PATH`.
team-file-missing = {" "}(not there now; the next sync writes it)
team-label-team = Team
team-label-team-file = Team file
team-label-last-sync = Last sync
team-label-members = Members
team-label-conflicts = Conflicts
team-you = {" "}(you)
team-conflicts-pending = { $count } pending; review with `salesdesk team conflicts`
team-conflicts-none = none pending
team-label-refused = Refused
team-refused-pending = { $count ->
    [one] 1 edit of yours the team database did not accept, kept here; see `salesdesk team conflicts`
   *[other] { $count } edits of yours the team database did not accept, kept here; see `salesdesk team conflicts`
}
team-label-logins = Logins
team-login = { $login } ({ $role })
team-login-members = { $login } ({ $role }: { $members })
team-logins-offline = could not ask the team database ({ $why })
team-sync-refused = warning: the team database did not accept { $count ->
    [one] 1 of your changed records
   *[other] { $count } of your changed records
}; they stay here, listed by `salesdesk team conflicts` with why.
team-sync-rewound = warning: the team database was behind this database (restored from an older backup?); everything was pulled again and all your changes pushed again.
team-join-file-era = note: this database still holds { $count ->
    [one] 1 customer or deal
   *[other] { $count } customers and deals
} of teammates from the team file, which the team database does not show your login. They stay in this file only and no longer sync; to keep just your own book, join from a new database and delete this one.
team-conflict-refused = {"  "}(the team database did not accept it)
team-conflict-why = {"    "}why: { $why }
team-conflicts-refused-hint = Your edits the team database did not accept stay here; dismiss one with `salesdesk team resolve ID --keep theirs`.
team-left-released = The team database no longer counts this login as a member of the team; an admin can drop the login.
team-left-not-released = warning: could not tell the team database that you left ({ $why }); an admin can remove your login with `salesdesk team remove-member`.

## clap's own words: usage, defaults, the errors of a command line it cannot read
clap-usage-options = [OPTIONS]
clap-default = [default: { $values }]
clap-possible-values = [possible values: { $values }]
clap-err-unknown-argument = unexpected argument '{ $arg }' found
clap-err-unknown-subcommand = unrecognized subcommand '{ $name }'
clap-err-missing-arguments = the following required arguments were not provided:
clap-err-missing-subcommand = '{ $name }' requires a subcommand but one was not provided
clap-err-value-missing = a value is required for '{ $arg }' but none was supplied
clap-err-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-err-invalid-value-why = invalid value '{ $value }' for '{ $arg }': { $why }
clap-err-too-many-values = unexpected value '{ $value }' for '{ $arg }' found; no more were expected
clap-err-wrong-number-of-values = { $expected } values required for '{ $arg }' but { $actual } given
clap-err-used-twice = the argument '{ $arg }' cannot be used multiple times
clap-err-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-err-no-equals = equal sign is needed when assigning values to '{ $arg }'
clap-err-invalid-utf8 = invalid UTF-8 was detected in one or more arguments
clap-err-possible-values = [possible values: { $values }]
clap-err-subcommands = [subcommands: { $values }]
clap-err-more = For more information, try '--help'.
clap-tip-subcommand = tip: a similar subcommand exists: { $names }
clap-tip-argument = tip: a similar argument exists: { $names }
clap-tip-value = tip: a similar value exists: { $names }
clap-tip-trailing = tip: to pass '{ $arg }' as a value, use '-- { $arg }'
clap-number-empty = it is empty
clap-number-not-whole = it is not a whole number
clap-number-too-large = it is too large
clap-number-too-small = it is too small
clap-number-zero = it must not be zero
# Epilogues with prose besides the examples (the English is cli.rs's own)
clap-salesdesk-after =
    Examples:
      salesdesk                                   open the board
      salesdesk deal add "ACME renewal" --customer ACME --amount 12000 --close +3w
      salesdesk remind || echo "something is overdue"
      salesdesk deal show "ACME renewal" --json

    Exit status: 0 done; 1 an error (or, for remind, something overdue); 2 a record named that
    is unknown or ambiguous, or a command line clap cannot read. With --json an error is a JSON
    object on standard error: {"{"}"error": {"{"}"kind", "message", "candidates"{"}"}{"}"}.
clap-remind-after =
    Examples:
      salesdesk remind || echo "something is overdue"
      salesdesk remind --count                         in a shell prompt
      salesdesk remind --format '{"{"}overdue{"}"} overdue, {"{"}today{"}"} today'
clap-completions-after =
    Install:
      bash   echo 'source <(salesdesk completions bash)' >> ~/.bashrc
      zsh    echo 'source <(salesdesk completions zsh)' >> ~/.zshrc
      fish   salesdesk completions fish > ~/.config/fish/completions/salesdesk.fish
      elvish echo 'eval (salesdesk completions elvish | slurp)' >> ~/.config/elvish/rc.elv
      powershell: add `salesdesk completions powershell | Out-String | Invoke-Expression` to $PROFILE

    Names are read from the database of the command line's --db, else SALESDESK_DB, else the
    default one, read-only.

## Completions and man pages
completion-writing-script = writing the completion script
man-no-page = there is no man page for '{ $name }'; name a subcommand as you would run it, e.g. `salesdesk man deal add`
man-writing-page = writing the man page
man-making-dir = making { $dir }
man-writing-file = writing { $path }
man-pages-written = { $count ->
    [one] { $count } man page written to { $dir }
   *[other] { $count } man pages written to { $dir }
}
man-section-name = NAME
man-section-synopsis = SYNOPSIS
man-section-description = DESCRIPTION
man-section-options = OPTIONS
man-section-subcommands = SUBCOMMANDS
man-section-extra = EXTRA
man-section-version = VERSION
man-section-authors = AUTHORS

## Team sync and the team file
path-not-utf8 = the path { $path } is not valid UTF-8; use a plainer folder name
teamfile-refusal-damaged = it is damaged or only partly copied ({ $why })
teamfile-refusal-newer = it was written by a newer SalesDesk (schema version { $found }; this one knows up to { $supported })
teamfile-refusal-not-a-team-file = it is not a SalesDesk team file
teamfile-refusal-unversioned = it carries no SalesDesk schema version (user_version 0), so it is not a SalesDesk team file
teamfile-refusal-schema = its structure is not SalesDesk's ({ $why })
teamfile-refusal-too-large = it is larger than any team's ({ $why })
teamfile-refusal-other-team = it belongs to another team ({ $found })
teamfile-too-many-rows = { $count } rows in { $table }; a team file holds at most { $most }
teamfile-too-many-bytes = { $mb } MB; a team file holds at most { $most } MB
teamfile-empty = the file is empty
teamfile-schema-unexpected-index = an unexpected index { $name }
teamfile-schema-unknown-object = a { $kind } named '{ $name }' that SalesDesk does not make
teamfile-schema-other-kind = { $name } is a { $kind } where SalesDesk has a { $expected }
teamfile-schema-virtual = { $name } is a virtual table
teamfile-schema-columns = the columns of { $name } differ
teamfile-schema-differs = the { $kind } { $name } differs
teamfile-schema-missing = the { $kind } { $name } is missing
teamfile-working-folder = making a working folder for the team file in { $dir }: { $error }
sync-err-not-linked = this database is not linked to a team file; run `salesdesk team init PATH` to make one or `salesdesk team join PATH` to use your team's
sync-err-already-linked = this database is already linked to { $path }; run `salesdesk team leave` first
sync-err-bad-name = { $path } does not end in .{ $ext }; name the team file like team.{ $ext }
sync-err-exists = { $path } already exists; use it with `salesdesk team join`, or choose a new name
sync-err-no-such-file = { $path } does not exist; check the path, or make it with `salesdesk team init`
sync-err-no-folder = the folder { $path } does not exist (is the synced folder or network share available?)
sync-err-refused = { $path } was not merged because { $why }; your database was not changed{ $hint }
sync-hint-damaged = ; wait for the sync service to finish copying it, or move it away and sync again to write it afresh from your data
sync-hint-newer = ; upgrade SalesDesk to sync with it
sync-hint-wrong-file = ; check the path, or run `salesdesk team leave` and join the right file
sync-hint-not-ours = ; it was not written by SalesDesk as it is: move it away and sync again to write it afresh from your data
sync-err-io = { $what }: { $error }
sync-copy-not-removed = merged, but could not remove it: { $error }
sync-copy-unreadable = could not read it: { $error }
sync-reading = reading { $path }
sync-locking = locking { $path }
sync-writing = writing { $path }
sync-replacing = replacing { $path }
sync-finding = finding { $path }
sync-working-folder = making a working folder for the sync in { $dir }

## The team's PostgreSQL hub
hub-err-connect = could not reach the team database { $url }: { $why }
hub-err-no-team = the database { $url } holds no SalesDesk team; make one with `salesdesk team init { $url }`
hub-err-has-team = the database { $url } already holds a SalesDesk team; join it with `salesdesk team join { $url }`
hub-err-newer = the team database was set up by a newer SalesDesk (server schema version { $found }; this one knows up to { $supported }); upgrade SalesDesk to sync with it
hub-err-other-team = the team database belongs to another team ({ $found }); run `salesdesk team leave` and join the right one
hub-err-server = the team database refused the sync: { $why }
hub-err-lost = lost the connection to the team database ({ $why }); nothing was half-saved, and your changes go with the next sync
hub-reading-root-cert = reading the root certificate { $path }: { $error }
hub-root-cert-not-pem = the root certificate { $path } is not PEM: { $error }
hub-tls-setup = setting up TLS: { $error }
hub-password-hint = ; give the password in PGPASSWORD or in ~/.pgpass (HOST:PORT:DB:USER:PASSWORD)
hub-password-missing = the server asks for a password, and none was found in PGPASSWORD or ~/.pgpass (HOST:PORT:DB:USER:PASSWORD, chmod 600)
hub-sync-contended = teammates' syncs kept changing the same records; sync again
hub-older-schema = the team database has an older schema (version { $found }, this SalesDesk uses { $supported }); only the login that set the team up (the owner of its schema) can upgrade it, by syncing once with this SalesDesk
hub-pull-working-folder = making a working folder for the pull
hub-bad-login = '{ $login }' cannot be a login name: use 1 to 63 characters without spaces
hub-no-members-in-file = members and roles are kept by a team in PostgreSQL; a team file has none (see `salesdesk team move-to`)
hub-bad-role = a role is rep, manager or admin, not '{ $role }'
hub-url-bad = '{ $url }' is not a PostgreSQL URL: { $why }
hub-url-scheme = it must start with postgres://
hub-url-parameter = the parameter '{ $name }' is not supported (use sslmode, sslrootcert, host, port, user, dbname)
hub-url-port = the port '{ $port }' is not a number from 1 to 65535
hub-url-no-user = it names no user, and neither PGUSER nor USER is set
hub-url-ipv6 = an IPv6 address lacks its closing ]
hub-url-several-hosts = several hosts are not supported; give one
hub-url-escape = '{ $text }' is not a valid %-escape
hub-url-escape-utf8 = a %-escape is not UTF-8
hub-url-bad-sslmode = sslmode '{ $mode }' is not one of disable, allow, prefer, require, verify-ca, verify-full
hub-url-password = the URL holds a password; leave it out (postgres://USER@HOST/DB) and give it in PGPASSWORD or in ~/.pgpass (HOST:PORT:DB:USER:PASSWORD, readable by you only), so it is never on a command line or stored
hub-pass-file-unsafe = the password file { $path } can be read by others, so it is ignored as libpq does; run `chmod 600 { $path }`

## salesdesk team …, salesdesk sync
team-made-hub = Made the team in the database { $url } from { $db }.
team-made-hub-next = Give each teammate a login with `salesdesk team add-member NAME --role rep|manager|admin`; it prints how they join. Everyone syncs with `salesdesk sync`.
team-made-file = Made the team file { $path } from { $db }.
team-made-file-next = Teammates join with `salesdesk team join { $path }` (once their sync service has the file); everyone syncs with `salesdesk sync`.
team-joined-hub = Joined the team in the database { $url }.
team-joined-file = Joined the team file { $path }.
team-left-hub = Left the team database { $path }; it and all your data stay where they are.
team-left-file = Left the team file { $path }; it and all your data stay where they are.
team-moved = Moved the team to the database { $url }; this database now syncs there.
team-moved-next = Teammates switch with `salesdesk team join { $url }` (their own logins: `salesdesk team add-member`); their changes since their last sync go up then. The team file stays as it was.
team-role-set = { $name } is now a { $role }.
team-member-removed = Removed { $name } from the team: their login can no longer sync. Their records stay; reassign their customers with `salesdesk customer edit`.
team-kept-theirs = Kept { $who }'s { $field } of { $what }.
team-restored-mine = Restored your { $field } of { $what } ({ $value }); teammates get it on their next sync.
team-no-member = no member is named '{ $name }'; `salesdesk team status` lists them
team-several-members = more than one member is named '{ $name }'; give the id (`salesdesk --json team status`)
team-reading-password-file = reading { $path }: { $error }
team-password-file-empty = { $path } is empty; put the password in it
team-member-added = Added { $name } to the team as a { $role }.
team-member-password = Their password: { $password }  (pass it on privately; it is not shown again)
team-member-password-kept = The login { $name } was on the server already (an earlier member's): it keeps its password.
team-member-join = They join with `salesdesk team join { $url }`, their password in PGPASSWORD or in ~/.pgpass.
sync-new-records = { $count ->
    [one] { $count } new record
   *[other] { $count } new records
}
sync-changed-fields = { $count ->
    [one] { $count } changed field
   *[other] { $count } changed fields
}
sync-changes-and = { $first } and { $second }
sync-from-teammates = { $changes } from teammates
sync-no-changes = no changes from teammates
sync-synced = Synced with { $file }: { $changes }.
sync-file-recreated = The team file was missing, so it was written afresh from this database.
sync-conflicts = { $count ->
    [one] { $count } value of yours was replaced by a teammate's; review with `salesdesk team conflicts`.
   *[other] { $count } values of yours were replaced by a teammate's; review with `salesdesk team conflicts`.
}
sync-seen = { $count ->
    [one] { $count } value of yours was changed by teammates who said they had seen yours; `salesdesk team conflicts --all` lists them.
   *[other] { $count } values of yours were changed by teammates who said they had seen yours; `salesdesk team conflicts --all` lists them.
}
sync-quarantined = { $count ->
    [one] warning: { $count } row from the team file broke SalesDesk's rules and was kept out; `salesdesk team status` says whose and why.
   *[other] warning: { $count } rows from the team file broke SalesDesk's rules and were kept out; `salesdesk team status` says whose and why.
}
sync-future-clocks = { $count ->
    [one] warning: { $count } value was not merged: stamped more than a day ahead of this machine's time (a teammate's clock is wrong, or the team file was tampered with).
   *[other] warning: { $count } values were not merged: stamped more than a day ahead of this machine's time (a teammate's clock is wrong, or the team file was tampered with).
}
sync-copies-merged = { $count ->
    [one] Merged and removed { $count } conflict copy.
   *[other] Merged and removed { $count } conflict copies.
}
sync-copy-left = note: left { $path } alone: { $why }
team-label-waiting = Waiting
team-label-quarantine = Quarantine
team-waiting-copies = { $count ->
    [one] { $count } conflict copy beside the team file, merged on the next sync
   *[other] { $count } conflict copies beside the team file, merged on the next sync
}
team-quarantine = { $count ->
    [one] { $count } row from teammates' files kept out for breaking SalesDesk's rules; latest:
   *[other] { $count } rows from teammates' files kept out for breaking SalesDesk's rules; latest:
}
team-quarantine-member = member { $id }
team-quarantine-unknown-writer = an unknown writer
team-quarantine-site = site { $site }
team-quarantine-noted = {" "}(merged, noted)
team-quarantine-line = { $time }  { $what }: { $reason }{ $kept }  [from { $who }]
ago-now = just now
ago-seconds = { $count } s ago
ago-minutes = { $count } min ago
ago-hours = { $count } h ago
ago-days = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
team-conflicts-none-ever = No conflicts: no value of yours was ever replaced by a teammate's.
team-conflicts-none-pending = No pending conflicts.
team-conflict-seen = {"  "}({ $who } changed it after seeing yours)
team-conflict-kept-theirs = {"  "}(kept theirs, { $when })
team-conflict-kept-mine = {"  "}(kept mine, { $when })
team-conflict-header = #{ $id }  { $field } of { $what }{ $state }
team-side-yours = yours
team-side-theirs = { $who }'s
team-conflicts-resolve-hint = Keep their value with `salesdesk team resolve ID --keep theirs`, or restore yours with `--keep mine`.

## What our own rules find wrong in a value (teammates' files, imports, local writes)
limit-text-too-long = it is { $bytes } bytes long; the most is { $most }
limit-id-empty = the id is empty
limit-id-too-long = the id is { $bytes } bytes long; the most is { $most }
limit-id-controls = the id holds control characters
limit-amount = amount { $amount } is outside 0 to { $most } minor units
limit-instant = instant { $ms } is outside the years 1 to 9999
limit-date = it is not a date like 2026-11-25
check-not-text = it holds { $found } where text belongs
check-not-whole = it holds { $found } where a whole number belongs
check-not-number = it holds { $found } where a number belongs
check-required = it is empty, and must not be
check-not-one-of = it is not one of { $words }
check-currency = it is not a three-letter currency code
check-outside = { $value } is outside { $lo } to { $hi }
check-flag = { $value } is neither 0 nor 1
check-id-type = its id is { $found }
check-type-nothing = nothing
check-type-whole = a whole number
check-type-fraction = a fraction
check-type-text = text
check-type-binary = binary data
screen-not-a-public-key = it is not an ed25519 public key
screen-other-public-key = another public key than the one held for this member: the held one stays (someone may be posing as them)
screen-not-a-site = it is not a site id
screen-site-member-changed = the file says this site writes as member { $member }; it writes as { $held }, and a site's member never changes
screen-site-unsigned-claim = a new site claims to write as { $member } without their signature: someone posing as them
screen-site-writes-as-you = a new site writes as you: a copy of your database, or someone posing as you
screen-site-second = a new site writes as member { $member }, who writes from another site already: a restored copy, or someone posing as them
screen-bad-clock = it carries a malformed clock
screen-bad-id = its id is not an id
screen-names-kept-out = it names a { $what } that was kept out ({ $id })
screen-names-missing = it names a { $what } that this database lacks and the file did not bring whole
screen-not-a-field-def = it is not a field definition
screen-field-def-id = its id does not name an entity and a type
screen-field-def-type = its entity or type is not the one its id says
screen-field-def-name = its name is not one a field can have, or not its id's
screen-field-def-choices = its choices are not as a field stores them
screen-not-a-field-value = it is not a field value
screen-field-value-id = its id is not its record's and its field's
screen-field-value-no-field = it names no field
screen-member-record = site { $site } changed this member's record; only the member's own sites may
screen-unclaimed = its site claims to write as { $member } without their signature
screen-not-signed = not signed by { $member }
sign-bad-key = the public key is not a valid ed25519 key
sign-bad-length = the signature is { $bytes } bytes, not { $expected }
sign-mismatch = signature does not match
sign-bad-values = the signed values are not in SalesDesk's encoding
noun-customer-tag = customer tag
noun-stage-change = stage change
noun-list-entry = list entry
noun-custom-field = custom field
noun-custom-field-value = custom field value

## Import limits (files too large or malformed to be address books or tables)
import-the-file = the file
import-cell-too-long-open = a cell of more than { $most } KB; the most a cell may hold is { $most } KB (a quote left open makes the rest of the file one cell)
import-cell-too-long = a cell of { $kb } KB; the most a cell may hold is { $most } KB
import-row-too-long = a row of more than { $most } MB; the most a row may hold is { $most } MB
import-too-many-columns = the header names more than { $most } columns; the most a file may have is { $most }
import-header-too-wide = the header names { $count } columns; the most a file may have is { $most }
import-value-past-header = has a value in column { $column } but the header names only { $width } columns
import-workbook-unreadable = cannot read the workbook { $name } ({ $error }); only Excel .xlsx workbooks are read: save it as .xlsx or CSV
import-workbook-part-too-large = the workbook { $name } unzips { $part } to more than { $most } MB; the most a part may hold is { $most } MB
import-sheet-too-many-cells = the first sheet of { $name } has more than { $most } cells; the most a sheet may hold is { $most }
import-sheet-too-many-rows = a sheet has at most { $most } rows
import-sheet-rows-out-of-order = comes after a later row in the sheet's file; the workbook is damaged
import-map-column-missing = the map's column '{ $column }' (for { $field }) is not in the file; its columns are: { $columns }
import-no-column-for = the file has no column for { $fields } (its columns are: { $columns }); name one in a map's [columns], e.g. { $field } = "{ $header }"
import-map-unknown-field = the map's [columns] names '{ $field }', which { $records } do not have; they have: { $fields }
vcard-not-vcard = the file is not a vCard file (it does not start with BEGIN:VCARD)
vcard-line-too-long = line { $line }: a line of { $kb } KB
vcard-too-many-cards = more than { $most } cards
vcard-no-end = the card has no END:VCARD; the file may be cut off
vcard-no-name = the card has no name (FN or N)
ics-calendar-name = SalesDesk follow-ups
ics-deal = Deal: { $deal }
ics-customer = Customer: { $customer }
ics-contact = Contact: { $contact }
ics-cannot-write-in = cannot write the calendar in { $dir }: { $error }
ics-cannot-write = cannot write the calendar: { $error }
ics-cannot-replace = cannot replace { $path }: { $error }

## config.toml: [keys], [theme], what serde and TOML say, SALESDESK_NOW
keys-not-a-key = '{ $key }' is not a key; write a character (J), a name (enter, esc, tab, space, up, pgdn, f5) or either after ctrl-, alt- or shift-
keys-no-context = { $name }: there is no '{ $context }' here; the places keys are bound in are { $contexts }
keys-no-command = { $name }: { $context } has no command '{ $command }'; its commands are { $commands }
keys-empty = { $name } is empty; give it at least one key
keys-entry = { $name }: { $what }
keys-typed-text = { $name }: '{ $key }' is typed text in { $context }; use a key with ctrl- or alt-, or a named key (enter, f2 …)
keys-hides-global = { $key } is global.{ $command }, which works in every view; this would hide it
keys-clash = { $key } already means { $context }.{ $command } in { $title }
keys-advice-other-key = choose another key
keys-advice-rebind = rebind that too, or choose another key
keys-clash-entry = { $name }: { $what }; { $advice }
keys-bound-twice = key { $key } is bound twice in { $context }
keys-hides-global-binding = key { $key } in { $context } hides the global binding
theme-not-built-in = theme '{ $name }' is not a built-in theme; use { $themes }
theme-not-a-role = theme.{ $role } is not a colour role; the roles are { $roles }
theme-not-a-colour = theme.{ $role } = "{ $colour }" is not a colour; use a name (red, lightblue, darkgray …), a 256-colour index (0–255), #rrggbb, or "FG on BG"
config-expecting-keys = a key like "J" or a list of keys like ["J", "shift-right"]
config-expecting-theme = a theme name like "light", or a [theme] table of colours by role
config-unknown-language = language "{ $code }" is not one SalesDesk speaks; use "en" or "zh-CN"
config-no-home-db = cannot find a home directory; pass --db PATH
config-no-home-config = cannot find a home directory; set SALESDESK_CONFIG
config-serde-unknown-field = unknown field { $field }, expected one of { $expected }
config-serde-unknown-field-none = unknown field { $field }; there are no fields here
config-serde-unknown-variant = unknown value { $value }, expected one of { $expected }
config-serde-missing-field = missing field { $field }
config-serde-duplicate-field = the field { $field } is set twice
config-serde-invalid-type = { $found } where { $expected } belongs
config-serde-invalid-value = { $found } is not { $expected }
config-serde-invalid-length = { $length } values where { $expected } belongs
config-serde-a-string = the text { $value }
config-serde-an-integer = the whole number { $value }
config-serde-a-float = the number { $value }
config-serde-a-boolean = the yes/no value { $value }
config-serde-a-list = a list
config-serde-a-table = a table
config-serde-want-integer = a whole number
config-serde-want-number = a number
config-serde-want-boolean = true or false
config-serde-want-string = text in quotes
config-serde-want-list = a list
config-serde-want-table = a table
config-toml-duplicate-key = the key { $key } is set twice
config-toml-syntax = this is not valid TOML ({ $detail })
now-not-rfc3339 = SALESDESK_NOW='{ $text }' is not an RFC 3339 time like 2026-11-25T10:00:00+01:00
now-refused = SALESDESK_NOW='{ $text }' is refused: { $why }
now-before-1970 = it is before 1970
now-too-far-ahead = it is more than a day ahead of this machine's clock ({ $clock }), and every later edit of the database would be stamped with it; use a time up to a day ahead
# Between an error's context and its cause: "opening x.db: …"
cli-cause-separator = {": "}

## Custom field types as the interface names them (typed after --type as text, number, money, date, yes/no, choice, multi-choice)
field-type-text = text
field-type-number = number
field-type-money = money
field-type-date = date
field-type-yesno = yes/no
field-type-choice = choice
field-type-multichoice = multi-choice
field-type-unknown = '{ $word }' is not a field type; use text, number, money, date, yes/no, choice or multi-choice
no = no
import-reading-map = reading the map { $path }
import-reading = reading { $path }
import-in-file = { $path }: { $problem }
import-vcard-not-contacts = { $path } is a vCard file: import it with `salesdesk import contacts`
import-vcard-too-large = { $path } is { $mb } MB; a vCard file of contacts is at most { $most } MB
import-a-spreadsheet = a spreadsheet
import-an-export = a { $from } export
import-progress = { $rows } rows read ({ $rate })
export-writing = writing { $path }: { $error }

## Refusals of the use cases
stage-unknown = no stage named '{ $name }'; the stages are { $stages }
stage-unknown-in = no stage named '{ $name }' in { $pipeline }; the stages are { $stages }
noun-stage-give-pipeline = stage (give --pipeline)
customer-no-tag = { $name } has no tag '{ $tag }'
customer-has-open-deals = { $name } has { $count } open deal(s); close or delete them first
customer-needs-name = a customer needs a name
contact-needs-name = a contact needs a name
activity-logged-in-future = a logged activity has happened, so it cannot be in the future; schedule it instead
activity-already-done = '{ $subject }' is already done
field-exists = the { $entity } field '{ $name }' already exists (a { $kind } field)
list-entry-exists = '{ $name }' is already a { $list }
deal-closed-reopen-first = '{ $title }' is { $status }; reopen it before moving it to { $stage }
conflict-needs-no-decision = conflict { $id } needs no decision: the teammate changed the value after seeing yours
conflict-resolved-theirs = conflict { $id } was already resolved (kept theirs)
conflict-resolved-mine = conflict { $id } was already resolved (kept mine)
conflict-not-waiting = conflict { $id } is no longer waiting for a decision
conflict-refused-is-mine = conflict { $id } is your own edit, kept here; the team database refused it and takes it when it lets you write the record again (dismiss it with --keep theirs)

## Custom fields: names, choices, values
field-needs-name = a field needs a name
field-name-too-long = the field name '{ $name }' is longer than { $most } characters
field-name-separators = the field name '{ $name }' holds '=' or ',', which --set NAME=VALUE and lists cannot tell apart
field-name-controls = a field name cannot hold control characters
field-no-choices = a { $kind } field has no choices; --choices is for choice and multi-choice fields
field-needs-choices = a { $kind } field needs its choices, e.g. --choices small,medium,large
field-too-many-choices = a field offers at most { $most } choices
field-choice-too-long = the choice '{ $choice }' is longer than { $most } characters
field-choice-controls = a choice cannot hold control characters
field-choice-twice = the choice '{ $choice }' is given twice
field-text-too-long = the text is { $bytes } bytes long; the most is { $most }
field-text-lines = the text is more than one line
field-not-a-number = '{ $text }' is not a number
field-not-yes-no = '{ $text }' is not yes or no
field-not-a-choice = '{ $text }' is not one of { $choices }
field-not-a-value = it is not a { $kind } value
field-not-stored-value = it is not a { $kind } value as stored
field-not-its-choice = '{ $choice }' is not one of the field's choices

## The database file and the disk under it
file-unreadable = it cannot be read ({ $error })
file-not-regular = it is not a regular file
file-too-short = it has only { $bytes } bytes
file-header-zeros = its header is all zeros (a copy that was cut off while being written?)
file-not-sqlite = it does not start with an SQLite header
file-cut-off = it has { $bytes } of the { $expected } bytes its header announces (cut off while being copied?)
file-disk-full = the disk holding { $path } is full; free some space and try again (nothing was changed)
file-no-shm = SQLite cannot make its shared-memory file { $path }-shm beside the database (is the disk full?); free some space and try again (nothing was changed; SQLite error code { $code })
file-io-failed = reading or writing { $path } failed (is the disk full or failing?); nothing was changed (SQLite error code { $code })
file-read-only = { $path } cannot be changed: the file or its folder { $dir } is read-only (SQLite keeps its journal beside the database); reading commands and `backup` still work
file-busy = { $path } is still being written by another program (a sync, an import?); nothing was changed, try again when it is done
file-cannot-open = { $path } cannot be opened: check that it and its folder { $dir } exist and are readable and writable
file-another-program = another program
file-another-program-pid = another program (pid { $pid }: { $command })
file-waiting = waiting for { $path }: { $who } is writing to it; waiting up to { $seconds } s…

## Opening, upgrading and copying the database; saving a value; words typed for kinds
db-upgrading = upgrading the database { $path } (schema version { $from } to { $to })…
db-sqlite-cannot-read = SQLite cannot read it
db-other-program = it is an SQLite database of another program (it has tables but no SalesDesk schema version)
db-upgrade-failed = upgrading the schema from version { $from } to { $to } failed ({ $why }); the database stays at version { $from }
backup-exists = { $path } already exists; choose a new file name
backup-check-failed = the copy did not check out: { $check }
backup-cannot-name = cannot name the copy { $path }: { $error }
write-not-saved = the { $field } of a { $record } was not saved: { $why }
period-unknown = '{ $word }' is not a report period; use month, quarter, year or all
activity-kind-unknown = '{ $word }' is not an activity kind; use one of call, email, meeting, visit, task, note, complaint, service
tag-empty = a tag cannot be empty
tag-too-long = tag '{ $tag }' is longer than { $most } characters
mouse-deal-closed = '{ $title }' is closed: { $key } reopens it into a stage.
import-required-field = { $entity } field '{ $name }' is required, and the row gives it no value (add a column '{ $name }')
import-no-deal = no deal titled '{ $title }'
import-no-deal-for = no deal titled '{ $title }' for { $customer }
import-no-contact = its customer has no contact named '{ $name }' (import the contacts before their activities)
export-too-many-rows = too many rows for one sheet
hlc-bad = '{ $value }' is not a hybrid logical clock value
reports-worker-stopped = the thread reading the figures stopped
cli-demo-temp-dir = making a temporary directory for the demo
undo-schedule = schedule { $name }
undo-log = log { $name }
undo-done = done { $name }
undo-reschedule = reschedule { $name }
undo-add-list-entry = add { $list } { $name }
undo-delete-list-entry = delete { $list } { $name }
undo-rename-pipeline = rename pipeline { $name } to { $new }
undo-primary-contact = make { $name } the primary contact
undo-remove-contact = remove contact { $name }
undo-delete-field = delete { $entity } field { $name }
undo-churn = churn { $name }
cli-cannot-write-output = cannot write the output: { $error }
import-workbook-read-failed = cannot read the workbook { $name }: { $error }
import-sheet-read-failed = cannot read the first sheet of { $name }: { $error }
import-workbook-no-sheet = the workbook { $name } has no sheet
tui-calendar-not-updated = The calendar file was not updated: { $error }
report-bad-currency = a deal has a bad currency: { $error }
backup-cannot-write-in = cannot write in { $dir }: { $error }
screen-its-member = its member: { $why }
period-unknown-or-particular = '{ $word }' is not a report period; use month, quarter, year or all, or a particular one: a month as 2026-10, a quarter as 2026-Q3, a year as 2026
period-not-begun = { $period } has not begun yet; a report covers what has happened, up to { $latest }
undo-keep-theirs = keep the teammate's { $field } of { $what }
report-no-reason = (no reason)
demo-scale-zero = --scale is how many deals to make: give 1 or more
demo-not-empty = this database already has customers or deals; run the demo on a new database (use --db)
demo-no-stages = the pipeline has no stages; the demo needs at least one
undo-demo-data = demo data

## The demo book's words (activity subjects and outcomes, sources, lost reasons, tags, job titles, kinds of deal)
demo-word-discovery-call = Discovery call
demo-word-send-company-profile = Send company profile
demo-word-demo-for-the-team = Demo for the team
demo-word-check-budget-approval = Check budget approval
demo-word-send-proposal = Send proposal
demo-word-follow-up-on-quote = Follow up on quote
demo-word-negotiate-terms = Negotiate terms
demo-word-contract-review = Contract review
demo-word-kick-off-meeting = Kick-off meeting
demo-word-intro-call = Intro call
demo-word-quarterly-review = Quarterly review
demo-word-complaint-about-delivery = Complaint about delivery
demo-word-exit-interview = Exit interview
demo-word-went-well-next-step-agreed = Went well; next step agreed
demo-word-positive-they-want-a-second-meeting = Positive; they want a second meeting
demo-word-sent-the-revised-quote = Sent the revised quote
demo-word-they-need-sign-off-from-finance = They need sign-off from finance
demo-word-left-a-voicemail-followed-up-by-email = Left a voicemail; followed up by email
demo-word-referral = referral
demo-word-website = website
demo-word-trade-fair = trade fair
demo-word-cold-call = cold call
demo-word-partner = partner
demo-word-existing-customer = existing customer
demo-word-price = price
demo-word-timing = timing
demo-word-competitor = competitor
demo-word-no-budget = no budget
demo-word-no-decision = no decision
demo-word-at-risk = at risk
demo-word-reference = reference
demo-word-public-sector = public sector
demo-word-newsletter = newsletter
demo-word-ceo = CEO
demo-word-cfo = CFO
demo-word-head-of-purchasing = Head of Purchasing
demo-word-it-director = IT Director
demo-word-operations-manager = Operations Manager
demo-word-buyer = Buyer
demo-word-rollout = rollout
demo-word-licences = licences
demo-word-renewal = renewal
demo-word-expansion = expansion
demo-word-pilot = pilot
demo-word-support-contract = support contract
demo-word-upgrade = upgrade
demo-word-new-site = new site
demo-word-training = training
demo-word-framework-agreement = framework agreement
demo-word-agriculture = Agriculture
demo-word-automotive = Automotive
demo-word-construction = Construction
demo-word-education = Education
demo-word-electronics = Electronics
demo-word-energy = Energy
demo-word-finance = Finance
demo-word-food = Food
demo-word-healthcare = Healthcare
demo-word-hospitality = Hospitality
demo-word-logistics = Logistics
demo-word-manufacturing = Manufacturing
demo-word-mining = Mining
demo-word-retail = Retail
demo-word-software = Software
demo-word-telecom = Telecom
demo-word-utilities = Utilities
demo-word-australia = Australia
demo-word-benelux = Benelux
demo-word-canada = Canada
demo-word-china = China
demo-word-dach = DACH
demo-word-france = France
demo-word-iberia = Iberia
demo-word-india = India
demo-word-italy = Italy
demo-word-japan = Japan
demo-word-korea = Korea
demo-word-latam = LatAm
demo-word-mea = MEA
demo-word-new-zealand = New Zealand
demo-word-nordics = Nordics
demo-word-sea = SEA
demo-word-uk = UK
demo-word-us = US

## Team members in the settings (S), for a team in PostgreSQL
team-password-no-randomness = the system gave no random numbers to make a password from: { $error }
team-password-file-large = { $path } is longer than { $max } bytes: put only the password in it
team-password-file-bad = { $path } is not one line of text: put the password alone on its first line
noun-rep = rep
noun-manager = manager
noun-admin = admin
settings-members = Team members (on the team's server)
settings-member-not-joined = has not joined yet
settings-member-syncs-as = syncs as { $names }
form-title-add-member = Add a team member
form-label-login = Login
form-hint-login = their login name on the team's server: no spaces
form-label-role = Role
form-label-password-file = Password file
form-hint-password-file = a file holding their password; empty: a new one is made and shown once
picker-member-role-title = Which role?
confirm-remove-member-title = Remove member
confirm-remove-member = Remove { $name } from the team? Their login can no longer sync; their records stay.
members-asking = Asking the team's server…
members-added = Added { $name } to the team as a { $role }; how they join is under Members.
members-added-kept-password = Added { $name } to the team as a { $role }; the login was on the server already and keeps its password.
members-added-password = Added { $name } to the team as a { $role }; their password is under Members, shown only now: pass it on privately.
members-removed = Removed { $name } from the team: their login can no longer sync. Their records stay.
members-password-once = Password for { $name }: { $password } (shown only now)
members-join-with = They join with: salesdesk team join { $url }
members-admin-keys = { $add } adds a member · { $edit } changes a role · { $delete } removes one
members-read-only = You are a { $role }: only an admin can add, change or remove members.
members-no-role = not a member
members-not-a-member = Your login is not a member of this team any more: ask an admin.
members-not-yet = The team's server has not answered yet; try again in a moment.
members-admin-only = Only an admin of the team can { $what ->
    [add] add members
    [role] change roles
   *[other] remove members
  }; your role: { $role }.
members-offline-note = Offline since { $since }: the team's server is out of reach.
members-offline = Offline since { $since }: the team's server did not answer ({ $why }).
members-failed = The team's server refused: { $why }
members-slow = The team's server has not answered for { $seconds } s; keys go on working, and its answer shows when it comes.
members-answered = The team's server has answered.
