with

alerts as (

    select * from {{ ref('stg_loyalty__fraud_alerts') }}

),

ledger as (

    select * from {{ ref('fct_points_ledger') }}

),

-- a pause starts at the crossing purchase's event time: paused_until minus the pause length
paused_purchases as (

    select
        alerts.alert_id,
        ledger.business_key,
        ledger.withheld_points

    from alerts

    inner join ledger
        on
            alerts.user_id = ledger.user_id
            and ledger.is_paused
            and ledger.event_at >= alerts.paused_until
            - interval '{{ var("fraud_pause_minutes") }}' minute
            and alerts.paused_until > ledger.event_at

),

withheld as (

    select
        alert_id,
        count(business_key) as paused_purchases,
        sum(withheld_points) as points_withheld

    from paused_purchases

    group by alert_id

),

final as (

    select
        alerts.alert_id,
        alerts.user_id,
        alerts.points_in_window,
        alerts.window_started_at,
        alerts.window_ended_at,
        alerts.paused_until,
        coalesce(withheld.paused_purchases, 0) as paused_purchases,
        coalesce(withheld.points_withheld, 0) as points_withheld

    from alerts

    left join withheld
        on alerts.alert_id = withheld.alert_id

)

select * from final
