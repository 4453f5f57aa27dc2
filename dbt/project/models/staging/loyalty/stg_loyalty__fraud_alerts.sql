with

source as (

    select * from {{ source('loyalty', 'fraud_alerts') }}

),

renamed as (

    select

        ---------- ids
        transaction_id as alert_id,
        user_id,

        ---------- numerics
        points_in_window,

        ---------- timestamps
        window_start as window_started_at,
        window_end as window_ended_at,
        paused_until

    from source

)

select * from renamed
