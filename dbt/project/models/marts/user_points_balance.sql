with

ledger as (

    select * from {{ ref('fct_points_ledger') }}

),

balances as (

    select
        user_id,
        sum(points) as balance,
        sum(case when points > 0 then points else 0 end) as lifetime_earned,
        -sum(case when points < 0 then points else 0 end) as lifetime_redeemed,
        sum(withheld_points) as withheld_points,
        max(event_at) as last_activity_at

    from ledger

    group by user_id

)

select * from balances
