with

source as (

    select * from {{ source('loyalty', 'late_events') }}

),

renamed as (

    select

        ---------- ids
        transaction_id,
        user_id,
        store_id,

        ---------- numerics
        amount,
        points,
        lateness_ms,

        ---------- timestamps
        event_time as event_at,
        seen_at

    from source

)

select * from renamed
