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
help-global-settings = pipelines and stages: add, rename, reorder, delete
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
help-settings-add = add a stage after the selected one (or first in the pipeline)
hint-settings-add = add stage
help-settings-add_pipeline = add a pipeline
hint-settings-add_pipeline = add pipeline
help-settings-edit = edit: name, probability, rotting days
hint-settings-edit = edit
help-settings-move_previous = move it up (earlier on the board)
hint-settings-move_previous = move
help-settings-move_next = move it down (later on the board)
hint-settings-move_next = move
help-settings-delete = delete it (asks where its deals go)
hint-settings-delete = delete
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
